/**
 * The agent-command corpus as data: `cases.jsonl` (one case a line), the project folders the cases
 * run in (`projects/`), and `registry.json`, which says which names the fixture registry serves as
 * established, which as fresh (published days ago, barely downloaded) and which it answers 404.
 *
 * The files live in the source tree (test/corpus/); tests run from dist/test/corpus/, so paths are
 * taken relative to the repository root.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmPackage, pypiProject, type RegistryFixtures } from '../fixture-registry/server.js';

/** test/corpus/ in the source tree. */
export const CORPUS_DIR = fileURLToPath(new URL('../../../test/corpus/', import.meta.url));
export const PROJECTS_DIR = join(CORPUS_DIR, 'projects');

/** The doors a case goes through: a shell command, or Claude's Write / Edit (MultiEdit) tool. */
export const CASE_DOORS = ['bash', 'write', 'edit'] as const;
/** `bad`: must be stopped (deny or ask); `good`: must pass with no deny and no ask. */
export const CASE_LABELS = ['bad', 'good'] as const;

/** One corpus case, as a line of cases.jsonl. */
export interface CorpusCase {
  /** `<category>-<nn>`; the category (before the last dash) groups misses in the report. */
  id: string;
  door: (typeof CASE_DOORS)[number];
  /** bash: the command as the agent sends it; `{{PRIVATE}}` is the private registry's URL. */
  command?: string;
  /** write / edit: the file, relative to the project folder (the hooks get it absolute). */
  file_path?: string;
  /** write: the whole new file. */
  content?: string;
  /** edit: one replacement (Claude's Edit tool) ... */
  old_string?: string;
  new_string?: string;
  /** ... or several in order (Claude's MultiEdit tool). */
  edits?: Array<{ old_string: string; new_string: string }>;
  /** A folder under projects/: the agent's working directory. */
  cwd: string;
  label: (typeof CASE_LABELS)[number];
  note: string;
  /**
   * Claude Code's permission mode (default `default`). Under `bypassPermissions` Claude approves an
   * "ask" by itself, so for the Claude hook only a deny counts as stopped.
   */
  permission_mode?: (typeof PERMISSION_MODES)[number];
}

/** Claude Code's permission modes (hooks reference, PreToolUse input). */
export const PERMISSION_MODES = ['default', 'plan', 'acceptEdits', 'bypassPermissions'] as const;

/** The category of a case id (`heredoc-03` is `heredoc`). */
export function categoryOf(id: string): string {
  return id.replace(/-\d+$/, '');
}

function fail(line: number, what: string): never {
  throw new Error(`test/corpus/cases.jsonl:${line}: ${what}`);
}

const str = (v: unknown): v is string => typeof v === 'string';

/** Read and validate cases.jsonl; a malformed line fails with file:line and what was expected. */
export function loadCases(file = join(CORPUS_DIR, 'cases.jsonl')): CorpusCase[] {
  const seen = new Set<string>();
  const cases: CorpusCase[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
      if (!text.trim()) return;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(text) as Record<string, unknown>;
      } catch (e) {
        fail(line, `not JSON (${(e as Error).message})`);
      }
      if (!str(o.id) || !/^[a-z][a-z-]*-\d+$/.test(o.id)) fail(line, 'expected "id" like "heredoc-03"');
      if (seen.has(o.id)) fail(line, `duplicate id ${o.id}`);
      seen.add(o.id);
      if (!CASE_DOORS.includes(o.door as CorpusCase['door'])) fail(line, `expected "door" to be one of ${CASE_DOORS.join(', ')}`);
      if (!CASE_LABELS.includes(o.label as CorpusCase['label'])) fail(line, `expected "label" to be one of ${CASE_LABELS.join(', ')}`);
      if (!str(o.note)) fail(line, 'expected a "note" string');
      if (o.permission_mode !== undefined && !PERMISSION_MODES.includes(o.permission_mode as (typeof PERMISSION_MODES)[number])) fail(line, `expected "permission_mode" to be one of ${PERMISSION_MODES.join(', ')}`);
      if (!str(o.cwd) || !/^[a-z0-9-]+$/.test(o.cwd) || !existsSync(join(PROJECTS_DIR, o.cwd)) || !statSync(join(PROJECTS_DIR, o.cwd)).isDirectory()) {
        fail(line, `expected "cwd" to name a folder under test/corpus/projects/ (got ${JSON.stringify(o.cwd)})`);
      }
      if (o.door === 'bash' && !str(o.command)) fail(line, 'a bash case needs a "command" string');
      if (o.door !== 'bash') {
        if (!str(o.file_path) || o.file_path.startsWith('/') || o.file_path.split('/').includes('..')) fail(line, 'expected "file_path" relative to the project, without ".."');
        if (o.door === 'write' && !str(o.content)) fail(line, 'a write case needs "content"');
        if (o.door === 'edit') {
          const edits = o.edits === undefined ? [{ old_string: o.old_string, new_string: o.new_string }] : o.edits;
          if (!Array.isArray(edits) || edits.length === 0 || !edits.every((e) => e && str(e.old_string) && str(e.new_string))) fail(line, 'an edit case needs "old_string" and "new_string" (or "edits")');
        }
      }
      cases.push(o as unknown as CorpusCase);
    });
  return cases;
}

/** registry.json: the world the corpus runs in. */
export interface CorpusRegistry {
  npm: { established: Record<string, number>; fresh: string[]; missing: string[] };
  pypi: { established: Record<string, number>; fresh: string[]; missing: string[] };
  /** Established npm packages whose latest version depends on other names. */
  transitive: { npm: Record<string, { weeklyDownloads: number; dependencies: Record<string, string> }> };
  /**
   * Names a second, private registry serves as established (`--registry`, `-i`). It also serves
   * the corpus's bad names, so a command whose registry flag wrongly applies to its neighbours
   * lets them through instead of being stopped by accident.
   */
  private: { npm: string[]; pypi: string[] };
}

export function loadRegistry(file = join(CORPUS_DIR, 'registry.json')): CorpusRegistry {
  return JSON.parse(readFileSync(file, 'utf8')) as CorpusRegistry;
}

/** Fresh packages were first published this many days before the corpus clock. */
const FRESH_DAYS = [2, 3, 4, 5, 6, 8];
const DAY = 86_400_000;

/** The public fixture registry the corpus runs against, at the given clock. */
export function publicFixtures(r: CorpusRegistry, now: Date): RegistryFixtures {
  const fresh = (i: number) => new Date(now.getTime() - FRESH_DAYS[i % FRESH_DAYS.length]! * DAY).toISOString();
  const npm = [
    // A 1.x line past 1.7 as well: the hooks resolve trees with the real npm, which needs a version the typed range (`axios@^1.7.0`) matches.
    ...Object.entries(r.npm.established).map(([name, weeklyDownloads]) => npmPackage({ name, created: '2015-03-01', versions: ['1.0.0', '1.9.2', '4.2.0'], published: '2026-06-01', weeklyDownloads, repository: `example/${name.replace(/^@/, '').replace('/', '-')}` })),
    ...r.npm.fresh.map((name, i) => npmPackage({ name, created: fresh(i), weeklyDownloads: 4 + i, repository: `someone/${name}` })),
    ...Object.entries(r.transitive.npm).map(([name, t]) => {
      const p = npmPackage({ name, created: '2019-05-01', versions: ['2.3.0'], published: '2026-09-01', weeklyDownloads: t.weeklyDownloads, repository: `acme/${name}` });
      ((p.packument.versions as Record<string, Record<string, unknown>>)['2.3.0']!).dependencies = t.dependencies;
      return p;
    }),
  ];
  const pypi = [
    ...Object.entries(r.pypi.established).map(([name, weeklyDownloads]) => pypiProject({ name, created: '2014-06-01', versions: ['1.0.0', '2.4.0'], published: '2026-06-01', weeklyDownloads, urls: { Source: `https://github.com/example/${name}` } })),
    ...r.pypi.fresh.map((name, i) => pypiProject({ name, created: fresh(i), weeklyDownloads: 6 + i, urls: { Source: `https://github.com/someone/${name}` } })),
  ];
  // Names only the private registry has: the public downloads APIs know nothing about them.
  const privateOnly = { npm: r.private.npm.filter((n) => !(n in r.npm.established)), pypi: r.private.pypi.filter((n) => !(n in r.pypi.established)) };
  return {
    npm,
    pypi,
    missing: { npm: [...new Set([...r.npm.missing, ...privateOnly.npm])], pypi: [...new Set([...r.pypi.missing, ...privateOnly.pypi])] },
  };
}

/** The private registry: everything it has is old and used (by the company). */
export function privateFixtures(r: CorpusRegistry): RegistryFixtures {
  return {
    npm: r.private.npm.map((name) => npmPackage({ name, created: '2020-01-15', versions: ['1.0.0', '3.1.0'], published: '2026-08-01', weeklyDownloads: 2_000, repository: `corp/${name}` })),
    pypi: r.private.pypi.map((name) => pypiProject({ name, created: '2020-01-15', versions: ['1.0.0', '3.1.0'], published: '2026-08-01', weeklyDownloads: 2_000, urls: { Source: `https://git.corp.example/${name}` } })),
    // A private index is asked once for a well-known public name (is it a mirror of PyPI?): it has none.
    missing: { pypi: ['pip'] },
  };
}
