/**
 * Which PyPI distribution a Python import comes from: `yaml` -> PyYAML, `cv2` -> opencv-python,
 * `sklearn` -> scikit-learn; the standard library is no package at all. Many squatted PyPI
 * names equal popular import names, so an import is never checked under its own name when a
 * mapping says otherwise. Data: data/python-imports/ (pipreqs' mapping and stdlib list, Apache-2.0,
 * CPython's module list, and slopguard's overrides; see the README there).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/package-root.js';
import { normalizePypiName } from '../../core/names.js';

/** What an imported module means for a lookup. */
export type PythonImportResolution =
  /** The standard library (or an interpreter built-in): nothing to install. */
  | { kind: 'stdlib' }
  /** One distribution provides it. `mapped` is false when the import name itself is assumed. */
  | { kind: 'distribution'; name: string; mapped: boolean }
  /** Several distributions provide it (or it is a namespace package): none is checked. */
  | { kind: 'ambiguous'; candidates: string[]; namespace: boolean };

interface ImportData {
  stdlib: Set<string>;
  overrides: Map<string, string[]>;
  pipreqs: Map<string, string[]>;
}

let data: ImportData | undefined;

const dataFile = (file: string) => join(packageRoot(), 'data', 'python-imports', file);

function lines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(dataFile(file), 'utf8');
  } catch (e) {
    throw new Error(`slopguard's data file data/python-imports/${file} is missing (${(e as Error).message}); the installation is incomplete.`);
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

function mapping(file: string, display: (dist: string) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines(file)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const dist = display(line.slice(colon + 1));
    const list = out.get(key) ?? [];
    if (!list.includes(dist)) list.push(dist);
    out.set(key, list);
  }
  return out;
}

function load(): ImportData {
  if (data) return data;
  const stdlib = new Set<string>();
  for (const name of [...lines('pipreqs-stdlib'), ...lines('cpython-stdlib')]) stdlib.add(name.split('.')[0] as string);
  // pipreqs wrote distributions in egg-info form (`scikit_learn`); PyPI shows them with `-`.
  const pipreqs = mapping('pipreqs-mapping', (d) => d.replace(/_/g, '-'));
  const overrides = mapping('overrides', (d) => d);
  for (const [key, values] of overrides) {
    if (values.includes('@stdlib')) {
      stdlib.add(key);
      overrides.delete(key);
    }
  }
  data = { stdlib, overrides, pipreqs };
  return data;
}

/**
 * Resolves a module path as imported (`yaml`, `google.cloud.storage`, `os.path`). For
 * `from pkg import sub`, pass `pkg.sub` too when `pkg` alone is a namespace (see
 * {@link resolvePythonImportFrom}).
 */
export function resolvePythonImport(module: string): PythonImportResolution {
  const d = load();
  const parts = module.split('.');
  const top = parts[0] as string;
  if (d.stdlib.has(top)) return { kind: 'stdlib' };
  for (const table of [d.overrides, d.pipreqs]) {
    for (let n = parts.length; n >= 1; n--) {
      const key = parts.slice(0, n).join('.');
      const values = table.get(key);
      if (!values) continue;
      if (values.includes('@namespace')) {
        const prefix = `${key}.`;
        const candidates = [...new Set([...table.entries()].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v))];
        return { kind: 'ambiguous', candidates, namespace: true };
      }
      if (values.length === 1) {
        const name = values[0] as string;
        // `requests:Requests`, `flask:Flask`: the same PyPI project (PEP 503); keep the import's spelling.
        return !key.includes('.') && normalizePypiName(name) === normalizePypiName(key) ? { kind: 'distribution', name: key, mapped: false } : { kind: 'distribution', name, mapped: true };
      }
      return { kind: 'ambiguous', candidates: [...values], namespace: false };
    }
  }
  return { kind: 'distribution', name: top, mapped: false };
}

/**
 * `from <module> import <names>`: the module decides, unless it is a namespace package, in
 * which case each imported name is tried as a sub-module (`from google.cloud import storage`).
 */
export function resolvePythonImportFrom(module: string, names: readonly string[]): PythonImportResolution[] {
  const first = resolvePythonImport(module);
  if (first.kind !== 'ambiguous' || !first.namespace || names.length === 0) return [first];
  const out: PythonImportResolution[] = [];
  for (const name of names) {
    const r = resolvePythonImport(`${module}.${name}`);
    out.push(r);
  }
  return out;
}

/** Whether a top-level module is in the standard library. */
export function isPythonStdlib(module: string): boolean {
  return load().stdlib.has(module.split('.')[0] as string);
}
