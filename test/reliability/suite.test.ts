/**
 * The counted reliability and security suite (issue #7). One process runs every part so the
 * crash counter sees everything and one closing line sums what was tried:
 *
 *   network.cases.ts   fault scenarios against the fixture registry
 *   secrets.cases.ts   tokens only to their registry, never printed or cached; no shell
 *   terminal.cases.ts  escapes, OSC 8, bidi, homoglyphs in registry strings and names
 *   hostile-files.cases.ts  huge, deeply nested and malformed files; paths in diffs are only names
 *   wrap.cases.ts      no shell: argv byte for byte, nothing executed
 *   cache.cases.ts     concurrent writers, corrupt entries, unwritable dir, registry isolation, a cache shipped in the repository
 *   regressions.cases.ts  one test per bug this suite found
 *   trust.cases.ts     a hostile repository or change cannot allowlist itself, open the gate or pick a token
 *   ../fuzz/*.fuzz.ts  fast-check over every extractor and text parser, and linear-time checks
 *
 * Run alone: `npx tsc -p . && node --test dist/test/reliability/suite.test.js`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanTempDirs, crashes, installCrashCounter, tally } from './harness.js';
// Static imports, in this order: each part registers its tests while the module graph loads, all
// of them before the first test starts. With `await import()` one at a time, the first part's
// tests ran while the next was still loading, and when they finished first (a name pattern that
// skips them, under --test-force-exit) the process ended with the later parts never registered.
import './network.cases.js';
import './terminal.cases.js';
import './hostile-files.cases.js';
import './secrets.cases.js';
import './wrap.cases.js';
import './cache.cases.js';
import './regressions.cases.js';
import './trust.cases.js';
import '../fuzz/extractors.fuzz.js';
import '../fuzz/text.fuzz.js';
import '../fuzz/linear.fuzz.js';

// After the imports: an error in loading a part (a bad SLOPGUARD_RELIABILITY, a throw at a
// module's top level) must end the process with a failure. Installed first, the counter
// swallowed that error and the suite passed with no test run.
installCrashCounter();

describe('reliability suite: closing count', () => {
  // Runs last (node:test runs top-level suites in order of registration).
  it('zero crashes, zero false ok', (t) => {
    const line =
      `slopguard reliability: ${tally.faults} fault scenarios, ${tally.hostile} hostile inputs, ${tally.fuzzRuns} fuzz runs, ` +
      `${tally.secrets} secret/exec scenarios, ${tally.cache} cache scenarios; ` +
      `${tally.crashes} crashes, ${tally.internalErrors} internal errors, ${tally.falseOk} false ok`;
    t.diagnostic(line);
    console.log(line);
    assert.equal(tally.crashes, 0, crashes().join('\n'));
    assert.equal(tally.internalErrors, 0);
    assert.equal(tally.falseOk, 0);
  });
});

after(() => cleanTempDirs());
