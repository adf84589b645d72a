/**
 * The package managers' own minimum-release-age settings for a folder and its user: found,
 * read through the file-access port, parsed with located problems, ordered by each tool's own
 * precedence. `slopguard serve` takes the strictest as its default gate; `check` and `scan` list
 * them and the drift between them (policy/age-drift.ts).
 *
 * Trust: a project's files are untrusted and may only tighten slopguard's policy. An age gate
 * only ever refuses more, so a project's setting counts like the user's (and the strictest
 * wins, so a project cannot lower the user's gate either).
 *
 * Where each tool looks (nearest folder first, from the folder checked up to its repository root,
 * as policy/config-file.ts searches; environment > project > user > global):
 * | tool | environment | project | user / global |
 * | --- | --- | --- | --- |
 * | npm | `npm_config_min_release_age` | `.npmrc` `min-release-age` | `~/.npmrc` (`userconfig`), `$PREFIX/etc/npmrc` |
 * | pnpm | `npm_config_minimum_release_age` | `pnpm-workspace.yaml` `minimumReleaseAge`, `.npmrc` `minimum-release-age` | `~/.npmrc`, `$XDG_CONFIG_HOME/pnpm/rc` |
 * | yarn | `YARN_NPM_MINIMAL_AGE_GATE` | `.yarnrc.yml` `npmMinimalAgeGate` | `~/.yarnrc.yml` |
 * | bun | — | `bunfig.toml` `[install] minimumReleaseAge` | `$XDG_CONFIG_HOME/.bunfig.toml`, `~/.bunfig.toml` |
 * | uv | `UV_EXCLUDE_NEWER` | `uv.toml` `exclude-newer`, `pyproject.toml` `[tool.uv] exclude-newer` | `$XDG_CONFIG_HOME/uv/uv.toml`, `/etc/uv/uv.toml` |
 * | pip | `PIP_UPLOADED_PRIOR_TO` | — | pip.conf files (registry/pipconf.ts) |
 */
import { lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ini from 'ini';
import type * as JsYaml from 'js-yaml';
import type * as SmolToml from 'smol-toml';
import { AGE_TOOLS, type AgeGatesReport, type AgeSettingProblem, type AgeSettingScope, type AgeTool, type NativeAgeSetting } from '../core/age-gates.js';
import { lazyRequire } from '../core/lazy-require.js';
import { npmEnvConfig } from '../registry/npmrc.js';
import { parseConfigParser, pipConfigFiles } from '../registry/pipconf.js';
import type { FileAccess } from '../sources/file-access.js';
import { ageDrift } from './age-drift.js';
import { AGE_TOOL_ECOSYSTEM } from './age-tools.js';
import { configSearchDirs } from './config-file.js';
import { bunSeconds, npmDays, pipUploadedPriorTo, pnpmMinutes, uvExcludeNewer, yarnGate, type AgeValue } from './native-age-values.js';

const jsYaml = lazyRequire<typeof JsYaml>('js-yaml');
const toml = lazyRequire<typeof SmolToml>('smol-toml');

type Env = Record<string, string | undefined>;

/** How a file is written. */
type Format = 'npmrc' | 'yaml' | 'toml' | 'pipconf';

/** One place a tool's setting may be: a file, its format, the key (a path for TOML tables) and how to read the value. */
interface Place {
  tool: AgeTool;
  scope: AgeSettingScope;
  abs: string;
  format: Format;
  key: readonly string[];
  parse: (raw: unknown) => AgeValue;
}

/** The project files that say a tool is used here, with or without a gate. */
const IN_USE_FILES: Readonly<Record<AgeTool, readonly string[]>> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml', 'pnpm-workspace.yaml'],
  yarn: ['yarn.lock', '.yarnrc.yml'],
  bun: ['bun.lock', 'bun.lockb', 'bunfig.toml'],
  uv: ['uv.lock', 'uv.toml'],
  pip: ['requirements.txt'],
};

/** Inputs of {@link findNativeAgeSettings}; everything that touches the machine is injectable. */
export interface NativeAgeOptions {
  /** The folder checked (or the folder `serve` starts in). */
  cwd: string;
  env: Env;
  home: string;
  platform?: NodeJS.Platform;
  /** The global npmrc (default: `npm_config_globalconfig`, else `$PREFIX/etc/npmrc`, else next to node). */
  globalNpmrc?: string;
  /** pip's global files (default: pipconf.ts's XDG_CONFIG_DIRS and /etc). */
  pipGlobalConfigs?: string[];
  /** uv's system files (default: `$XDG_CONFIG_DIRS/uv/uv.toml`, `/etc/uv/uv.toml`). */
  uvSystemConfigs?: string[];
  /** Reads the project's files (default: the disk, confined to the search's top folder). */
  project?: FileAccess;
  /** Reads the user's and global files (default: the disk; the user's own links may point anywhere). */
  user?: FileAccess;
  /** For absolute cutoffs in drift (default: now). */
  now?: Date;
  /** Project paths are shown relative to this (default: cwd). */
  shownFrom?: string;
}

/** The environment variables, highest precedence of each tool. npm's are case-insensitive. */
const ENV_KEYS: ReadonlyArray<{ tool: AgeTool; name: string; anyCase: boolean; parse: (raw: unknown) => AgeValue }> = [
  { tool: 'npm', name: 'npm_config_min_release_age', anyCase: true, parse: npmDays },
  { tool: 'pnpm', name: 'npm_config_minimum_release_age', anyCase: true, parse: pnpmMinutes },
  { tool: 'yarn', name: 'YARN_NPM_MINIMAL_AGE_GATE', anyCase: false, parse: yarnGate },
  { tool: 'uv', name: 'UV_EXCLUDE_NEWER', anyCase: false, parse: uvExcludeNewer },
  { tool: 'pip', name: 'PIP_UPLOADED_PRIOR_TO', anyCase: false, parse: pipUploadedPriorTo },
];

/** The places each tool's setting may be, in its precedence (nearest project folder first). */
function places(o: NativeAgeOptions, dirs: readonly string[]): Place[] {
  const { env, home } = o;
  const out: Place[] = [];
  const add = (tool: AgeTool, scope: AgeSettingScope, abs: string, format: Format, key: readonly string[], parse: Place['parse']) => out.push({ tool, scope, abs, format, key, parse });
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  const npmEnv = npmEnvConfig(env);
  const userNpmrc = npmEnv.userconfig ? resolve(home, npmEnv.userconfig) : join(home, '.npmrc');
  const platform = o.platform ?? process.platform;
  const globalNpmrc =
    o.globalNpmrc ?? npmEnv.globalconfig ?? join(env.PREFIX ?? (platform === 'win32' ? dirname(process.execPath) : dirname(dirname(process.execPath))), 'etc', 'npmrc');
  for (const dir of dirs) {
    add('npm', 'project', join(dir, '.npmrc'), 'npmrc', ['min-release-age'], npmDays);
    add('pnpm', 'project', join(dir, 'pnpm-workspace.yaml'), 'yaml', ['minimumReleaseAge'], pnpmMinutes);
    add('pnpm', 'project', join(dir, '.npmrc'), 'npmrc', ['minimum-release-age'], pnpmMinutes);
    add('yarn', 'project', join(dir, '.yarnrc.yml'), 'yaml', ['npmMinimalAgeGate'], yarnGate);
    add('bun', 'project', join(dir, 'bunfig.toml'), 'toml', ['install', 'minimumReleaseAge'], bunSeconds);
    // uv reads uv.toml over pyproject.toml in the same folder.
    add('uv', 'project', join(dir, 'uv.toml'), 'toml', ['exclude-newer'], uvExcludeNewer);
    add('uv', 'project', join(dir, 'pyproject.toml'), 'toml', ['tool', 'uv', 'exclude-newer'], uvExcludeNewer);
  }
  add('npm', 'user', userNpmrc, 'npmrc', ['min-release-age'], npmDays);
  add('npm', 'global', globalNpmrc, 'npmrc', ['min-release-age'], npmDays);
  add('pnpm', 'user', userNpmrc, 'npmrc', ['minimum-release-age'], pnpmMinutes);
  add('pnpm', 'user', join(xdg, 'pnpm', 'rc'), 'npmrc', ['minimum-release-age'], pnpmMinutes);
  add('yarn', 'user', join(home, '.yarnrc.yml'), 'yaml', ['npmMinimalAgeGate'], yarnGate);
  if (env.XDG_CONFIG_HOME) add('bun', 'user', join(env.XDG_CONFIG_HOME, '.bunfig.toml'), 'toml', ['install', 'minimumReleaseAge'], bunSeconds);
  add('bun', 'user', join(home, '.bunfig.toml'), 'toml', ['install', 'minimumReleaseAge'], bunSeconds);
  add('uv', 'user', join(xdg, 'uv', 'uv.toml'), 'toml', ['exclude-newer'], uvExcludeNewer);
  const uvSystem = o.uvSystemConfigs ?? [...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean).map((d) => join(d, 'uv', 'uv.toml')), '/etc/uv/uv.toml'];
  for (const f of uvSystem) add('uv', 'global', f, 'toml', ['exclude-newer'], uvExcludeNewer);
  // pip's files load in order, later overriding earlier: the last one is the most specific.
  const pipFiles = pipConfigFiles({ env, home, platform, ...(o.pipGlobalConfigs ? { globalConfigs: o.pipGlobalConfigs } : {}) });
  const globalCount = o.pipGlobalConfigs?.length ?? pipFiles.filter((f) => !f.startsWith(home) && f !== env.PIP_CONFIG_FILE && !(env.VIRTUAL_ENV && f.startsWith(env.VIRTUAL_ENV))).length;
  for (let i = pipFiles.length - 1; i >= 0; i--) add('pip', i < globalCount ? 'global' : 'user', pipFiles[i]!, 'pipconf', ['uploaded-prior-to'], pipUploadedPriorTo);
  // Same file twice (the project folder is the home folder): read once, as the nearer scope.
  const seen = new Set<string>();
  return out.filter((p) => {
    const id = `${p.tool}|${p.abs}|${p.key.join('.')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Whether anything is at `abs` (a link counts: the port decides whether it may be followed). */
function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** A found value with its line (1-based), or undefined when the key is not set. */
type Raw = { value: unknown; line?: number } | undefined;

/** A file that is not valid YAML or TOML: where, and what the parser said. */
class SettingFileSyntaxError extends Error {
  constructor(
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The 1-based line where `key` is assigned (`key = …` / `key: …` at a line start; the last one when
 * `last`, as ini keeps the last of repeated keys). The parsers give values, not positions.
 */
function lineOfKey(text: string, key: string, sep: string, last: boolean): number | undefined {
  const lines = text.split(/\r?\n/);
  let found: number | undefined;
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*["']?${esc}["']?\\s*[${sep}]`);
  for (let i = 0; i < lines.length; i++) {
    if (re.test(lines[i]!)) {
      found = i + 1;
      if (!last) break;
    }
  }
  return found;
}

/** Read one key from a file's text; a file that does not parse throws a SettingFileSyntaxError. */
async function readKey(text: string, format: Format, key: readonly string[]): Promise<Raw> {
  switch (format) {
    case 'npmrc': {
      const conf = ini.parse(text) as Record<string, unknown>;
      const k = key[0]!;
      if (conf[k] === undefined) return undefined;
      // ini keeps the last of repeated keys, as npm does.
      return { value: conf[k], line: lineOfKey(text, k, '=', true) };
    }
    case 'pipconf': {
      const sections = parseConfigParser(text);
      const names = [key[0]!, key[0]!.replace(/-/g, '_')];
      for (const section of ['install', 'global']) {
        const opts = sections.get(section);
        const name = names.find((n) => opts?.has(n));
        if (name) return { value: opts!.get(name), line: lineOfKey(text, name, '=:', false) };
      }
      return undefined;
    }
    case 'yaml': {
      let doc: unknown;
      try {
        doc = jsYaml().load(text);
      } catch (e) {
        const mark = (e as { mark?: { line?: number } }).mark;
        throw new SettingFileSyntaxError(mark?.line !== undefined ? mark.line + 1 : undefined, `is not valid YAML (${(e as { reason?: string }).reason ?? 'syntax error'})`);
      }
      const value = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)[key[0]!] : undefined;
      return value === undefined || value === null ? undefined : { value, line: lineOfKey(text, key[0]!, ':', false) };
    }
    case 'toml': {
      let doc: Record<string, unknown>;
      try {
        doc = toml().parse(text) as Record<string, unknown>;
      } catch (e) {
        const line = (e as { line?: number }).line;
        throw new SettingFileSyntaxError(line, `is not valid TOML (${String((e as Error).message).split('\n')[0]})`);
      }
      let value: unknown = doc;
      for (const k of key) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
      if (value === undefined) return undefined;
      // The locator is the TOML extractors'; loaded only when a TOML setting is found.
      const [{ LineIndex }, { TomlLocator }] = await Promise.all([import('../extractors/locate.js'), import('../extractors/pypi/toml-locate.js')]);
      const lines = new LineIndex(text);
      const at = new TomlLocator(lines).locate(key)?.offset;
      return { value, ...(at !== undefined ? { line: lines.position(at).line } : {}) };
    }
  }
}

/** The value as shown: strings as written, numbers and dates as text. */
function shownValue(raw: unknown): string {
  if (raw instanceof Date) return raw.toISOString();
  return typeof raw === 'string' ? raw.trim() : JSON.stringify(raw) ?? String(raw);
}

/**
 * Every native age setting for `cwd` and the user, each tool's effective one marked, plus the
 * problems (bad values, unreadable files) and the drift. Undefined when there is nothing to say.
 */
export async function findNativeAgeSettings(o: NativeAgeOptions): Promise<AgeGatesReport | undefined> {
  const dirs = configSearchDirs(o.cwd, o.home);
  const top = dirs[dirs.length - 1]!;
  const all = places(o, dirs);
  // Most folders have none of these files: then nothing is read and the reading machinery (the
  // port, the TOML and YAML parsers) is not even loaded, so `check` stays as quick as before.
  const present = all.filter((p) => (o.project && p.scope === 'project') || (o.user && p.scope !== 'project') || exists(p.abs));
  const envHits = ENV_KEYS.map((e) => ({ e, hit: Object.entries(o.env).find(([k, v]) => (e.anyCase ? k.toLowerCase() === e.name : k === e.name) && v !== undefined && v !== '') }));
  if (!present.length && !envHits.some((h) => h.hit)) return undefined;
  const [{ diskAccess }, { decodeText }] = await Promise.all([import('../sources/file-access.js'), import('../sources/decode.js')]);
  const project = o.project ?? diskAccess({ root: top, displayBase: o.shownFrom ?? o.cwd });
  const user = o.user ?? diskAccess({ root: '/', displayBase: '' });
  const homeDir = resolve(o.home);
  const settings: NativeAgeSetting[] = [];
  const problems: AgeSettingProblem[] = [];
  const record = (tool: AgeTool, key: string, scope: AgeSettingScope, file: string, line: number | undefined, raw: unknown, parse: (raw: unknown) => AgeValue) => {
    const v = parse(raw);
    const at = line !== undefined ? { line } : {};
    if ('problem' in v) problems.push({ tool, key, file, ...at, message: v.problem });
    else settings.push({ tool, ecosystem: AGE_TOOL_ECOSYSTEM[tool], key, value: shownValue(raw), file, ...at, scope, ...('days' in v ? { days: v.days } : { before: v.before.toISOString() }), effective: false });
  };
  for (const { e, hit } of envHits) if (hit) record(e.tool, hit[0], 'environment', hit[0], undefined, hit[1], e.parse);
  const texts = new Map<string, Promise<{ text?: string; shown: string; refused?: string }>>();
  const readText = (p: Place) => {
    const port = p.scope === 'project' ? project : user;
    const id = `${p.scope === 'project' ? 'p' : 'u'}|${p.abs}`;
    let t = texts.get(id);
    if (!t) {
      t = port.readFile(p.abs, p.scope === 'project' ? {} : { userChosen: true, linksAnywhere: true }).then((r) => {
        // The user's own files are shown as `~/.npmrc`, as people write them.
        const shown = p.scope !== 'project' && r.path.startsWith(`${homeDir}/`) ? `~/${r.path.slice(homeDir.length + 1)}` : r.path;
        if (!r.ok) return { shown, ...(r.reason === 'missing' || r.reason === 'directory' ? {} : { refused: r.message }) };
        try {
          return { text: decodeText(r.bytes, shown), shown };
        } catch (err) {
          return { shown, refused: (err as Error).message };
        }
      });
      texts.set(id, t);
    }
    return t;
  };
  for (const p of present) {
    const keyName = p.key[p.key.length - 1]!;
    const got = await readText(p);
    if (got.refused) {
      if (!problems.some((x) => x.file === got.shown && x.message === got.refused)) problems.push({ tool: p.tool, key: keyName, file: got.shown, message: `could not be read: ${got.refused}` });
      continue;
    }
    if (got.text === undefined) continue;
    let raw: Raw;
    try {
      raw = await readKey(got.text, p.format, p.key);
    } catch (err) {
      if (!(err instanceof SettingFileSyntaxError)) throw err;
      const e = err;
      if (!problems.some((x) => x.file === got.shown && x.message === e.message)) problems.push({ tool: p.tool, key: keyName, file: got.shown, ...(e.line ? { line: e.line } : {}), message: e.message });
      continue;
    }
    if (raw) record(p.tool, keyName, p.scope, got.shown, raw.line, raw.value, p.parse);
  }
  // Listed by tool (AGE_TOOLS order), each tool's in its precedence; the first is the one it uses.
  settings.sort((a, b) => AGE_TOOLS.indexOf(a.tool) - AGE_TOOLS.indexOf(b.tool));
  const seenTool = new Set<AgeTool>();
  for (const s of settings) {
    if (seenTool.has(s.tool)) continue;
    s.effective = true;
    seenTool.add(s.tool);
  }
  const inUse = await toolsInUse(project, dirs, settings);
  // A tool whose setting could not be read is not "without a gate": its problem is listed instead.
  const drift = ageDrift(settings, inUse.filter((t) => !problems.some((p) => p.tool === t)), o.now ?? new Date());
  if (!settings.length && !problems.length) return undefined;
  return { settings, drift, problems, inUse };
}

/** Tools the project uses: a lockfile or config file of theirs, `packageManager`, or a project setting. */
async function toolsInUse(project: FileAccess, dirs: readonly string[], settings: readonly NativeAgeSetting[]): Promise<AgeTool[]> {
  const used = new Set<AgeTool>(settings.filter((s) => s.scope === 'project').map((s) => s.tool));
  for (const [tool, files] of Object.entries(IN_USE_FILES) as Array<[AgeTool, readonly string[]]>) {
    for (const dir of dirs) {
      const kinds = await Promise.all(files.map((f) => project.kind(join(dir, f))));
      if (kinds.includes('file')) used.add(tool);
    }
  }
  for (const dir of dirs) {
    const pkg = await project.readFile(join(dir, 'package.json'));
    if (!pkg.ok) continue;
    try {
      const pm = (JSON.parse(pkg.bytes.toString('utf8')) as { packageManager?: unknown }).packageManager;
      const name = typeof pm === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pm)?.[1] : undefined;
      if (name) used.add(name as AgeTool);
    } catch {
      // A broken package.json is the extractors' to report.
    }
    break;
  }
  return AGE_TOOLS.filter((t) => used.has(t));
}
