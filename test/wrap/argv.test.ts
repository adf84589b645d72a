import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { splitWrapperArgv } from '../../src/wrap/argv.js';

describe('splitWrapperArgv', () => {
  const cases: Array<[string[], string[], object]> = [
    [['npm', 'install', 'x'], ['install', 'x'], { allow: [] }],
    [['npm', 'install', 'lodahs', '--slopguard-allow', 'lodahs'], ['install', 'lodahs'], { allow: ['lodahs'] }],
    [['pip', '--slopguard-allow=a,b', 'install', 'a', 'b'], ['install', 'a', 'b'], { allow: ['a', 'b'] }],
    [['npm', 'i', 'x', '--slopguard-fail-on', 'warn', '--slopguard-fail-closed', '--slopguard-yes'], ['i', 'x'], { allow: [], failOn: 'warn', failClosed: true, yes: true }],
    // After `--` everything belongs to the tool or the program it runs, untouched.
    [['npm', 'run', 'x', '--', '--slopguard-allow', 'y'], ['run', 'x', '--', '--slopguard-allow', 'y'], { allow: [] }],
    // Arguments are kept byte for byte, including empty ones and shell syntax.
    [['npm', 'run', 'x', '', ' a b ', '$(id)', '`id`', ';', '|', 'a\nb'], ['run', 'x', '', ' a b ', '$(id)', '`id`', ';', '|', 'a\nb'], { allow: [] }],
  ];
  for (const [argv, args, flags] of cases) {
    it(JSON.stringify(argv), () => {
      const split = splitWrapperArgv(argv);
      assert.equal(split.tool, argv[0]);
      assert.deepEqual(split.args, args);
      assert.deepEqual(split.flags, flags);
    });
  }

  it('rejects unknown or incomplete slopguard options', () => {
    assert.throws(() => splitWrapperArgv(['npm', 'i', '--slopguard-frob']), UsageError);
    assert.throws(() => splitWrapperArgv(['npm', 'i', '--slopguard-allow']), /needs a value/);
    assert.throws(() => splitWrapperArgv(['npm', 'i', '--slopguard-yes=1']), /takes no value/);
    assert.throws(() => splitWrapperArgv([]), UsageError);
  });
});
