import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';

/** `slopguard serve` refuses bad flags and variables before it listens (exit 2, the flag named). */
describe('slopguard serve: bad input is a usage error', () => {
  for (const [argv, env, message] of [
    [['serve', '--port', 'http'], {}, /--port: expected a whole number from 0 to 65535, got "http"/],
    [['serve', '--port', '70000'], {}, /--port: expected a whole number from 0 to 65535, got "70000"/],
    [['serve', '--port', '0', '--min-release-age', '-1'], {}, /--min-release-age: expected a whole number from 0 to 36500, got "-1"/],
    [['serve', '--port', '0', '--min-release-age', '2.5'], {}, /--min-release-age: expected a whole number/],
    [['serve', '--port', '0'], { SLOPGUARD_MIN_RELEASE_AGE: 'three' }, /SLOPGUARD_MIN_RELEASE_AGE: expected a whole number from 0 to 36500, got "three"/],
  ] as const) {
    it(`${argv.slice(1).join(' ')} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`, async () => {
      const t = testIo({ env });
      assert.equal(await run([...argv], t.io), 2);
      assert.match(t.err(), message);
      assert.doesNotMatch(t.err(), /listening on/);
    });
  }
});
