/**
 * Preloaded into a measured child with `node --import <this file>`: at exit it writes the
 * process's peak resident set size (KiB, from getrusage) to the file named by BENCH_RSS_OUT.
 * Measuring inside the child counts exactly that process, not a shell or wrapper around it.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RSS_OUT;
if (out) {
  process.on('exit', () => {
    try {
      writeFileSync(out, String(process.resourceUsage().maxRSS));
    } catch {
      // A probe must never change the exit of the process it measures.
    }
  });
}
