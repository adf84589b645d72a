import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../e2e/tools.js';

/**
 * Wheels for the pip tests (the PEP 503 index of test/e2e/pypi-index.ts, resolveTree's pip runs),
 * built by hand with Python's zipfile: a wheel is a zip with a .dist-info holding METADATA, WHEEL
 * and RECORD. This machine's setuptools has no bdist_wheel without the `wheel` package, and
 * nothing can be downloaded.
 *
 * Arguments: the wheel file, the distribution name, its version, the module it installs, then
 * one Requires-Dist per remaining argument.
 */
const BUILD_WHEEL = `
import base64, hashlib, sys, zipfile
out, dist, version, module = sys.argv[1:5]
requires = sys.argv[5:]
norm = dist.replace('-', '_')
info = f'{norm}-{version}.dist-info'
meta = f'Metadata-Version: 2.1\\nName: {dist}\\nVersion: {version}\\nSummary: slopguard test fixture\\n' + ''.join(f'Requires-Dist: {r}\\n' for r in requires)
files = {
    f'{module}/__init__.py': f'NAME = {dist!r}\\nVERSION = {version!r}\\n',
    f'{info}/METADATA': meta,
    f'{info}/WHEEL': 'Wheel-Version: 1.0\\nGenerator: slopguard-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = []
for name, text in files.items():
    data = text.encode()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    record.append(f'{name},sha256={digest},{len(data)}')
record.append(f'{info}/RECORD,,')
files[f'{info}/RECORD'] = '\\n'.join(record) + '\\n'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        z.writestr(name, text)
`;

/**
 * Build `<dist>-<version>-py3-none-any.whl` in `dir` with one importable module (`module`, by
 * default the distribution name with `_` for `-`) and a Requires-Dist line per `requires` entry.
 */
export function buildWheel(python: string, dir: string, dist: string, version: string, module = dist.replace(/-/g, '_'), requires: readonly string[] = []): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${dist.replace(/-/g, '_')}-${version}-py3-none-any.whl`);
  const r = sh(python, ['-c', BUILD_WHEEL, file, dist, version, module, ...requires], { cwd: dir, env: process.env });
  if (r.status !== 0) throw new Error(`building ${dist} ${version} failed: ${r.stderr}`);
  return file;
}
