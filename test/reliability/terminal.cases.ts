/**
 * Hostile strings on their way to a terminal: registry-supplied text (descriptions, deprecation
 * messages, maintainer names, repository URLs, versions, PyPI status reasons) and names typed on
 * the command line, carrying ANSI escapes, OSC 8 links, C0/C1 controls, bidi overrides (Trojan
 * Source), zero-width characters and homoglyphs. Every output format must show them escaped,
 * never let a terminal interpret them, and names that imitate others must not pass as `ok`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { RENDERERS, REPORT_FORMATS } from '../../src/reporters/index.js';
import { withFixtureRegistry } from '../fixture-registry/server.js';
import { healthyNpm, healthyPypi } from './fixtures.js';
import { assertInert, cli, registryEnv, tally, tempDir } from './harness.js';

/** Payloads a hostile registry or file might carry. */
export const PAYLOADS: Array<[string, string]> = [
  ['OSC 8 hyperlink', '\u001b]8;;https://evil.example/\u0007click here\u001b]8;;\u0007'],
  ['clear screen and home', '\u001b[2J\u001b[H'],
  ['colour and cursor moves', '\u001b[31m\u001b[1A\u001b[K'],
  ['fake OK line after a carriage return', '\r\u001b[KOK      npm:express'],
  ['C1 CSI', '\u009b31m'],
  ['bell and backspaces', '\u0007\b\b\b'],
  ['bidi override (Trojan Source)', 'safe\u202e\u2066txt.exe\u2069\u202c'],
  ['zero-width joiner and BOM', 'ex\u200dpress\ufeff'],
  ['window title (OSC 0)', '\u001b]0;pwned\u0007'],
  ['newline faking a second finding', 'ok\n  - BLOCK npm:other'],
  ['DEL and NUL', 'a\u007fb\u0000c'],
];

const FORMATS = REPORT_FORMATS;

describe('hostile strings: registry text is shown escaped in every format', { concurrency: 4 }, () => {
  for (const [label, payload] of PAYLOADS) {
    it(`npm: ${label} in deprecation, description, maintainer, repository and version`, async () => {
      const pkg = healthyNpm('express', {
        deprecated: `use something else ${payload}`,
        description: `desc ${payload}`,
        repository: { type: 'git', url: `git+https://github.com/ex/ex${payload}.git` },
        extra: { maintainers: [{ name: `mallory${payload}`, email: `m${payload}@example.invalid` }], homepage: `https://x${payload}` },
      });
      // A version string is the registry's word too.
      pkg.packument['dist-tags'] = { latest: `3.1.4${payload}` };
      await withFixtureRegistry({ npm: [pkg] }, async (reg) => {
        let report: Report | undefined;
        for (const format of ['text', 'json']) {
          for (const colour of format === 'text' ? [false, true] : [false]) {
            tally.hostile++;
            const env = registryEnv(reg, tempDir('term'), colour ? { FORCE_COLOR: '1', NO_COLOR: '' } : {});
            // --fail-on warn: the deprecation (a warning) must have been read, or the test proves nothing.
            const r = await cli(['check', 'express', '--format', format, '--fail-on', 'warn'], { env });
            assert.doesNotMatch(r.err, /internal error/);
            assert.equal(r.code, 1, `the deprecated package passed: ${r.out}${r.err}`);
            assertInert(r.out, colour, `${format} stdout`);
            assertInert(r.err, colour, `${format} stderr`);
            if (format === 'json') report = JSON.parse(r.out) as Report;
          }
        }
        // The CI formats (SARIF, GitHub annotations, Markdown) render the same report.
        for (const format of FORMATS) {
          tally.hostile++;
          assertInert(RENDERERS[format]!(report!, { color: false, now: new Date('2026-11-26T12:00:00Z') }), false, `${format} rendering`);
        }
      });
    });
  }

  it('pypi: payloads in summary, status reason, yank reason and URLs', async () => {
    const payload = PAYLOADS.map(([, p]) => p).join(' ');
    const project = healthyPypi('requests', {
      summary: `s ${payload}`,
      status: 'deprecated',
      statusReason: `moved ${payload}`,
      versions: ['1.0.0', { version: '2.31.0', yanked: `broken ${payload}` }],
      urls: { Source: `https://github.com/x/y${payload}`, [`Home${payload}`]: 'https://x' },
    });
    await withFixtureRegistry({ pypi: [project] }, async (reg) => {
      for (const format of ['text', 'json']) {
        tally.hostile++;
        const r = await cli(['check', 'pypi:requests', '--format', format], { env: registryEnv(reg, tempDir('term')) });
        assert.doesNotMatch(r.err, /internal error/);
        assertInert(r.out, false, `${format} stdout`);
        assertInert(r.err, false, `${format} stderr`);
        if (format === 'json') for (const f of FORMATS) assertInert(RENDERERS[f]!(JSON.parse(r.out) as Report, { color: false, now: new Date() }), false, `${f} rendering`);
      }
    }, { strict: false });
  });
});

describe('hostile strings: names on the command line', { concurrency: 4 }, () => {
  for (const [label, payload] of PAYLOADS) {
    it(`a name carrying ${label} is refused, shown escaped, never looked up`, async () => {
      tally.hostile++;
      await withFixtureRegistry({}, async (reg) => {
        const r = await cli(['check', `express${payload}`, `pypi:requests${payload}`], { env: registryEnv(reg, tempDir('term')) });
        assert.equal(r.code, 2, r.out + r.err);
        assertInert(r.out, false, 'stdout');
        assertInert(r.err, false, 'stderr');
        assert.equal(reg.requests.length, 0, 'a hostile name reached the registry');
      });
    });
  }

  // Homoglyphs: Cyrillic е/х/р/о, dotless ı, fullwidth letters, a Greek ο. npm has refused
  // non-URL-safe names for years, so such a name is refused before any lookup (exit 2) and the
  // report says which code points it carries rather than showing a convincing look-alike.
  const homoglyphs = ['\u0435\u0445press', 'lod\u0430sh', 'reac\u0442', '\uff45xpress', 're\u03bfuests', 'l\u0131b'];
  for (const name of homoglyphs) {
    it(`homoglyph name ${JSON.stringify(name)} is flagged, never ok`, async () => {
      tally.hostile++;
      await withFixtureRegistry({}, async (reg) => {
        for (const spec of [name, `pypi:${name}`]) {
          const r = await cli(['check', spec, '--format', 'json'], { env: registryEnv(reg, tempDir('term')) });
          assert.notEqual(r.code, 0, `${spec} passed: ${r.out} ${r.err}`);
          assertInert(r.out + r.err, false);
        }
        assert.equal(reg.requests.length, 0);
      });
    });
  }
});
