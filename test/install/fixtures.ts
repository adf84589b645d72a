/**
 * Projects and registries for the install-planner tests: every door (hooks, wrappers, `text`)
 * is driven with the same commands against the same loopback registry.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { npmPackage, pypiProject, type RegistryFixtures } from '../fixture-registry/server.js';

/** Good names (old, popular) and invented bad ones (not on any registry). */
export function planFixtures(): RegistryFixtures {
  return {
    npm: [
      npmPackage({ name: 'lodash', created: '2012-04-23', versions: ['4.17.20', '4.17.21'], published: '2021-02-20', weeklyDownloads: 60_000_000, repository: 'lodash/lodash' }),
      npmPackage({ name: 'express', created: '2010-12-29', versions: ['4.21.0'], weeklyDownloads: 40_000_000, repository: 'expressjs/express' }),
      npmPackage({ name: 'fresh-helper-kit', created: '2026-11-21', weeklyDownloads: 3, repository: 'someone/fresh-helper-kit' }),
    ],
    pypi: [
      pypiProject({ name: 'requests', created: '2011-02-14', weeklyDownloads: 120_000_000, urls: { Source: 'https://github.com/psf/requests' } }),
      pypiProject({ name: 'flask', created: '2010-04-06', weeklyDownloads: 60_000_000, urls: { Source: 'https://github.com/pallets/flask' } }),
    ],
    // Invented names: nothing real is ever asked about them.
    missing: { npm: ['lodahs', 'quantix-fetchr-kit'], pypi: ['reqeusts', 'torchlyte-extras-zz'] },
  };
}

/** A package.json with these dependencies. */
export function packageJson(deps: Record<string, string>): string {
  return `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 2)}\n`;
}

/** A package-lock.json (v3) that locks these name -> version pairs. */
export function packageLock(locked: Record<string, string>, declared: Record<string, string> = {}): string {
  const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: declared } };
  for (const [name, version] of Object.entries(locked)) {
    packages[`node_modules/${name}`] = { version, resolved: `https://registry.example.test/${name}/-/${name}-${version}.tgz`, integrity: 'sha512-AAAA' };
  }
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** A pyproject.toml with runtime dependencies and a `dev` extra. */
export function pyproject(deps: string[], dev: string[] = []): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return `[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ${list(deps)}\n\n[project.optional-dependencies]\ndev = ${list(dev)}\n`;
}

/**
 * A fresh folder holding `files` (relative path -> text), a repository root (a `.git` folder),
 * so the tools' search for a project in parent folders stops there as it would in a checkout.
 */
export function project(files: Record<string, string> = {}, under = tmpdir()): string {
  const dir = mkdtempSync(join(under, 'slopguard-plan-'));
  mkdirSync(join(dir, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}
