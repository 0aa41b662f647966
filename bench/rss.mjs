// Preloaded into a measured process: on exit, write its peak resident set size (KiB) and the CPU time
// it used (user + system, microseconds) where asked. The peak is VmHWM, this process's own: getrusage's
// maxRSS is kept across the fork and exec that started it, so it reads the parent's size at that moment
// whenever that was larger (the bench after seeding 2 GiB of images in-process).
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.FERRY_BENCH_RSS) return;
  const usage = process.resourceUsage();
  const own = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(process.env.FERRY_BENCH_RSS, `${own === null ? usage.maxRSS : Number(own[1])} ${usage.userCPUTime + usage.systemCPUTime}`);
});
