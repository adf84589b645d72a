/**
 * Packages the reliability suite serves. Each is one a healthy registry would make `ok` (old,
 * popular, with a repository), so a fault the code fails to notice shows up as a false `ok`.
 */
import { npmPackage, pypiProject, type NpmPackageFixture, type PypiProjectFixture } from '../fixture-registry/server.js';

/** An established npm package (not a look-alike of anything popular). */
export function healthyNpm(name: string, extra: Partial<Parameters<typeof npmPackage>[0]> = {}): NpmPackageFixture {
  return npmPackage({
    name,
    created: '2012-03-01T00:00:00Z',
    published: '2024-01-15T00:00:00Z',
    versions: ['1.0.0', '2.0.0', '3.1.4'],
    repository: `https://github.com/example/${name.replace(/^@/, '').replace('/', '-')}`,
    description: `the ${name} package`,
    weeklyDownloads: 25_000_000,
    ...extra,
  });
}

/** An established PyPI project. */
export function healthyPypi(name: string, extra: Partial<Parameters<typeof pypiProject>[0]> = {}): PypiProjectFixture {
  return pypiProject({
    name,
    created: '2011-02-14T00:00:00Z',
    published: '2024-05-20T00:00:00Z',
    versions: ['1.0.0', '2.31.0'],
    urls: { Source: `https://github.com/example/${name}` },
    summary: `the ${name} project`,
    weeklyDownloads: 30_000_000,
    ...extra,
  });
}

/**
 * Real, long-established names: a fault must not turn them `ok`, and as names they carry no
 * typo finding of their own. `requests` is in the bundled complete PyPI list, so an unreachable
 * PyPI leaves it `unverified` (a name absent from the list would be reported not-found instead).
 */
export const NPM_NAME = 'express';
export const NPM_OTHERS = ['lodash', 'react'] as const;
export const PYPI_NAME = 'requests';
