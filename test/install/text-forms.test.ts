/**
 * `slopguard text` plans install commands with the same planner: heredocs fed to shells, files
 * the text itself writes, xargs fed by echo, per-command registries. It reads only the text:
 * a requirements file the text does not write is named as not read (info), never read from disk.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/run.js';
import { npmPackage, startFixtureRegistry } from '../fixture-registry/server.js';
import { NOW, startDoorRegistry, type DoorRegistry } from '../hook/fixtures.js';
import { testIo } from '../helpers/io.js';
import { planFixtures, project } from './fixtures.js';

let reg: DoorRegistry;
let dir: string;
before(async () => {
  reg = await startDoorRegistry(planFixtures());
  dir = project();
});
after(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

interface JsonReport {
  packages: Array<{ name: string; verdict: string; origins: Array<{ file: string; line?: number }> }>;
  notes: Array<{ level: string; message: string; unverified?: boolean }>;
}

async function text(name: string, body: string): Promise<{ code: number; json: JsonReport; err: string }> {
  writeFileSync(join(dir, name), body);
  const t = testIo({ env: reg.env, now: NOW, cwd: dir });
  const code = await run(['text', name, '--format', 'json'], t.io);
  return { code, json: JSON.parse(t.out()) as JsonReport, err: t.err() };
}

const verdicts = (j: JsonReport) => Object.fromEntries(j.packages.map((p) => [p.name, p.verdict]));

describe('slopguard text plans like the hooks', () => {
  const CASES: Array<{ name: string; file: string; body: string; bad: string; line?: number }> = [
    { name: 'a heredoc fed to bash in a script', file: 'setup.sh', body: "#!/bin/sh\nbash <<'SH'\nnpm install lodahs\nSH\n", bad: 'lodahs', line: 3 },
    { name: 'a Dockerfile RUN with a heredoc requirements file', file: 'Dockerfile', body: 'FROM python:3.12\nRUN pip install -r /dev/stdin <<EOF\nflask\nreqeusts\nEOF\n', bad: 'reqeusts', line: 4 },
    { name: 'a file written then installed, in a Markdown answer', file: 'answer.md', body: 'Run:\n\n```bash\ncat > requirements.txt <<EOF\ntorchlyte-extras-zz\nEOF\npip install -r requirements.txt\n```\n', bad: 'torchlyte-extras-zz', line: 5 },
    { name: 'xargs fed by echo', file: 'go.sh', body: 'echo quantix-fetchr-kit | xargs npm install\n', bad: 'quantix-fetchr-kit', line: 1 },
  ];
  for (const c of CASES) {
    it(`${c.name}: blocked at its line`, async () => {
      const r = await text(c.file, c.body);
      assert.equal(r.code, 1, r.err);
      assert.equal(verdicts(r.json)[c.bad], 'block');
      const p = r.json.packages.find((x) => x.name === c.bad);
      assert.equal(p?.origins[0]?.file, c.file);
      if (c.line) assert.equal(p?.origins[0]?.line, c.line);
    });
  }

  it('a requirements file the text does not write is never read from disk: an info note, exit 0', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'reqeusts\n');
    const r = await text('readme.md', '```sh\npip install -r requirements.txt\nnpm install lodash\n```\n');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(verdicts(r.json), { lodash: 'ok' });
    assert.ok(r.json.notes.some((n) => n.level === 'info' && /requirements\.txt is not part of the text/.test(n.message)));
  });

  it('$VAR package arguments make the text unverified (exit 3)', async () => {
    const r = await text('ci.sh', 'npm install lodash $EXTRA_PKG\n');
    assert.equal(r.code, 3, r.err);
    assert.ok(r.json.notes.some((n) => n.unverified && /\$EXTRA_PKG/.test(n.message)));
  });

  it('imports are judged alongside install commands', async () => {
    const r = await text('app.py', 'import requests\n# pip install reqeusts\n');
    assert.ok('requests' in verdicts(r.json));
  });

  it('each command is judged against its own --registry', async () => {
    const priv = await startFixtureRegistry({ npm: [npmPackage({ name: 'corp-text-sdk', created: '2024-01-01', weeklyDownloads: 500, repository: 'corp/sdk' })] });
    reg.registry.addMissing('npm', 'corp-text-sdk');
    try {
      const r = await text('two.sh', `npm install lodahs\nnpm install --registry ${priv.url}/ corp-text-sdk\n`);
      assert.equal(r.code, 1);
      assert.equal(verdicts(r.json).lodahs, 'block');
      assert.notEqual(verdicts(r.json)['corp-text-sdk'], 'block');
      assert.equal(priv.count('/lodahs'), 0);
      priv.assertNoUnexpectedRequests();
    } finally {
      await priv.close();
    }
  });

  it('no unexpected registry request', () => {
    reg.registry.assertNoUnexpectedRequests();
  });
});
