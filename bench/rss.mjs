// Preloaded into a measured process: on exit, write its peak resident set size (KiB) and the CPU time
// it used (user + system, microseconds) where asked.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.FERRY_BENCH_RSS) return;
  const usage = process.resourceUsage();
  writeFileSync(process.env.FERRY_BENCH_RSS, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}`);
});
