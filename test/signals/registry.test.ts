import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINDING_CODES } from '../../src/core/types.js';
import { DEFAULT_SEVERITIES } from '../../src/policy/defaults.js';
import { RULE_TEXT } from '../../src/reporters/messages.js';
import { SIGNALS, SIGNAL_BY_CODE } from '../../src/signals/index.js';

describe('the signal registry: one definition per finding code', () => {
  it('every code in the public contract has exactly one definition, and nothing else is registered', () => {
    const codes = SIGNALS.map((s) => s.code);
    assert.equal(new Set(codes).size, codes.length, `a code registered twice: ${codes.join(', ')}`);
    assert.deepEqual([...codes].sort(), [...FINDING_CODES].sort());
    for (const code of FINDING_CODES) assert.equal(SIGNAL_BY_CODE.get(code)?.code, code);
  });
  it('each definition states a severity, a sentence and a rule', () => {
    for (const s of SIGNALS) {
      assert.ok(['info', 'warn', 'block', 'off'].includes(s.severity), `${s.code}: severity ${s.severity}`);
      assert.match(s.rule.name, /^[A-Z][A-Za-z]+$/, `${s.code}: PascalCase rule name`);
      assert.ok(s.rule.short.length > 10 && s.rule.help.length > 20, `${s.code}: rule text`);
      assert.equal(typeof s.evaluate, 'function');
      assert.equal(typeof s.wording, 'function');
    }
  });
  it('defaults and SARIF rules are read from the definitions', () => {
    for (const s of SIGNALS) {
      assert.equal(DEFAULT_SEVERITIES[s.code], s.severity, s.code);
      assert.equal(RULE_TEXT[s.code], s.rule, s.code);
    }
    // The starting policy DESIGN.md names: what cannot be installed as meant blocks, context is info.
    assert.equal(DEFAULT_SEVERITIES['not-found'], 'block');
    assert.equal(DEFAULT_SEVERITIES.typo, 'block');
    assert.equal(DEFAULT_SEVERITIES['too-new'], 'warn');
    assert.equal(DEFAULT_SEVERITIES['no-repository'], 'info');
  });
  it('ids in the registry are not reordered by accident: findings are reported in this order', () => {
    assert.equal(SIGNALS[0]!.code, 'unverified');
    assert.ok(SIGNALS.findIndex((s) => s.code === 'not-found') < SIGNALS.findIndex((s) => s.code === 'typo'));
  });
});
