// Preloaded into a measured process: on exit, write its peak resident set size (KiB) where asked.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.FERRY_BENCH_RSS) writeFileSync(process.env.FERRY_BENCH_RSS, String(process.resourceUsage().maxRSS));
});
