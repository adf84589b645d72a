/**
 * Preloaded (`node --import`) into a slopguard child process by the reliability suite: writes the
 * process's peak resident set size in KiB to $SLOPGUARD_RSS_OUT when it exits.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.SLOPGUARD_RSS_OUT;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
