/**
 * Preloaded into a measured child with `node --import <this file>`: at exit it writes the
 * process's peak resident set size (KiB) and CPU time (user + system, microseconds), from
 * getrusage, as JSON to the file named by BENCH_RSS_OUT. Measuring inside the child counts
 * exactly that process. CPU time is the figure to compare when the machine is busy: wall time
 * on a loaded machine measures the other load as much as slopguard.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RSS_OUT;
if (out) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      writeFileSync(out, JSON.stringify({ maxRSS: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
    } catch {
      // A probe must never change the exit of the process it measures.
    }
  });
}
