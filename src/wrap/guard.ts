/**
 * The registry guard of one wrapped install (issue 13 item 4, issue 14): `slopguard npm install x`
 * runs npm through an ephemeral `slopguard serve` on 127.0.0.1 (serve/ephemeral.ts), so every
 * package npm asks for, transitive ones included, is judged with the wrapper's own policy. The
 * wrapper's pre-check (typed names, manifests, lockfiles) still runs first: it gives the better
 * message and stops before anything starts; the guard covers what only the install itself finds.
 *
 * Which runs get one: installs (the planner's `isInstall`) of the npm family and pip. Not:
 * - uv's project commands (`uv add`, `uv sync`, `uv lock`) and poetry: uv writes the index URL
 *   into uv.lock and poetry reads its sources from pyproject.toml, so pointing them at a loopback
 *   port would write it into the project; their manifests and lockfiles are pre-checked. uv's pip
 *   interface (`uv pip install`, `uv pip sync`) writes no lockfile and is guarded like pip
 *   (UV_DEFAULT_INDEX, serve/client-env.ts);
 * - pipx, pipenv, pdm, deno, conda: not routed (pre-check only);
 * - a command that names its own registry (`--registry`, `-i/--index-url`): the tool's flag beats
 *   the guard's variable, so the tool would not ask it; said once, pre-check only;
 * - yarn and bun when the npm registry needs credentials (.npmrc), pip when its index URL carries
 *   them: they send them only to the registry they are pointed at, not to the upstream's tarball
 *   and file URLs they download from;
 * - yarn 2+ with `npmRegistryServer` in `.yarnrc.yml` (or YARN_NPM_REGISTRY_SERVER), bun with a
 *   `registry` in `bunfig.toml` (or BUN_CONFIG_REGISTRY): the guard reads the npm config (`.npmrc`,
 *   npm_config_registry), not theirs, and would serve another registry than the
 *   one they name (and without its auth); said once, pre-check only;
 * - `--slopguard-no-guard` / `SLOPGUARD_GUARD=0` (opt-out), SLOPGUARD_DISABLE, and nested wrapped
 *   runs (SLOPGUARD_WRAPPED=1: they inherit the outer run's variables, so they go through the outer
 *   guard, and never start a second one).
 *
 * Scoped registries (`@scope:registry=` in `.npmrc`, yarn's `npmScopes`) and pip's extra indexes
 * are left direct: the client talks to them with its own auth, exactly as without slopguard. They
 * are the user's private registries (which slopguard does not judge against the public one
 * anyway); routing them through the guard would need the guard to hold and forward their
 * credentials per scope, and a package only an extra index has would become uninstallable.
 *
 * Lockfiles stay as they would be without slopguard: the guard serves tarball URLs per client
 * (serve/npm-document.ts `per-client`), and pip has no lockfile (PyPI file URLs keep pointing at
 * the upstream's file host).
 */
import type { Io } from '../cli/io.js';
import type { CheckOptions } from '../core/check.js';
import type { PackageResult } from '../core/types.js';
import type { InstallCommand, InstallTool } from '../extractors/text/install-command.js';
import type { FileAccess } from '../sources/file-access.js';
import type { Decision } from '../serve/context.js';

/** The tools whose installs run through the guard (see the module comment for the others). */
export const GUARDED_TOOLS: ReadonlySet<InstallTool> = new Set<InstallTool>(['npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'pip', 'uv']);

/** uv's subcommands that go through the guard: its pip interface, which writes no lockfile. */
const GUARDED_UV_SUBCOMMANDS: ReadonlySet<string> = new Set(['pip install', 'pip sync']);

/** Whether the install guard serves this tool and subcommand (uv only through its pip interface). */
export function guardsTool(cmd: Pick<InstallCommand, 'tool' | 'subcommand'>): boolean {
  if (!GUARDED_TOOLS.has(cmd.tool)) return false;
  return cmd.tool !== 'uv' || GUARDED_UV_SUBCOMMANDS.has(cmd.subcommand);
}

const falsy = (v: string | undefined) => v !== undefined && ['0', 'false', 'no', 'off'].includes(v.trim().toLowerCase());

/** Why a run goes without the guard: `silent` (not an install it serves, or opted out) or a note to print. */
export type GuardSkip = { silent: true } | { note: string };

/** Whether `file` (read through the port) has a line matching `line`. */
async function hasLine(files: FileAccess, file: string, line: RegExp): Promise<boolean> {
  const r = await files.readFile(file);
  return r.ok && line.test(r.bytes.toString('utf8'));
}

/** undefined to start a guard for this run, or why not (see the module comment). */
export async function guardSkip(cmd: InstallCommand, o: { noGuardFlag: boolean; env: Io['env']; cwd: string; files: FileAccess }): Promise<GuardSkip | undefined> {
  if (!cmd.isInstall || !guardsTool(cmd)) return { silent: true };
  if (o.noGuardFlag || falsy(o.env.SLOPGUARD_GUARD)) return { silent: true };
  const tool = cmd.tool;
  if (cmd.registry !== undefined) return { note: `--registry on the command line: ${tool} asks that registry directly, so the packages it pulls in were not checked during the run (only what is listed above)` };
  if (cmd.indexUrl !== undefined) return { note: `--index-url on the command line: ${tool} asks that index directly, so the packages it pulls in were not checked during the run (only what is listed above)` };
  const home = o.env.HOME || o.env.USERPROFILE || '';
  const dir = cmd.cwd ? (cmd.cwd.startsWith('/') ? cmd.cwd : `${o.cwd}/${cmd.cwd}`) : o.cwd;
  const inDirAndHome = (file: string) => [`${dir}/${file}`, ...(home ? [`${home}/${file}`] : [])];
  // pip sends an index URL's credentials (https://user:token@host/simple/) with the files it lists;
  // the guard's pages keep pointing at the upstream's files but without the credentials (they would
  // reach the client's output), so a private index's downloads would fail.
  if (tool === 'pip' || tool === 'uv') {
    const { loadRegistrySettings } = await import('../registry/npmrc.js');
    const s = loadRegistrySettings({ env: o.env, cwd: o.cwd, home: home || '/nonexistent' });
    if (s.pypiIndexUrl && hasUserinfo(s.pypiIndexUrl)) return { note: 'your pip index URL carries credentials, which pip sends only to the index it is pointed at: pip was run without the install guard, so the packages it pulls in were not checked during the run' };
  }
  // yarn 2+ and bun name their registry in their own config, which the guard (reading .npmrc) would not follow.
  if (tool === 'yarn') {
    if (o.env.YARN_NPM_REGISTRY_SERVER) return { note: 'YARN_NPM_REGISTRY_SERVER is set: yarn was run without the install guard, so the packages it pulls in were not checked during the run' };
    for (const f of inDirAndHome('.yarnrc.yml')) {
      if (await hasLine(o.files, f, /^npmRegistryServer\s*:/m)) return { note: `${f} sets npmRegistryServer: yarn was run without the install guard, so the packages it pulls in were not checked during the run` };
    }
  }
  // yarn 1 and bun send the .npmrc token only to the registry they are pointed at (the guard), not
  // to the upstream's tarball URLs they download from (serve/npm-document.ts `per-client`): with a
  // registry that needs credentials their downloads would fail (401, seen with both).
  if (tool === 'yarn' || tool === 'bun' || tool === 'bunx') {
    const { loadRegistrySettings } = await import('../registry/npmrc.js');
    const s = loadRegistrySettings({ env: o.env, cwd: o.cwd, home: home || '/nonexistent' });
    if (needsCredentials(s.npmRegistry, s.npmrc)) return { note: `your npm registry needs credentials (.npmrc), which ${tool === 'yarn' ? 'yarn 1' : 'bun'} sends only to the registry it is pointed at: ${tool} was run without the install guard, so the packages it pulls in were not checked during the run` };
  }
  if (tool === 'bun' || tool === 'bunx') {
    if (o.env.BUN_CONFIG_REGISTRY) return { note: 'BUN_CONFIG_REGISTRY is set: bun was run without the install guard, so the packages it pulls in were not checked during the run' };
    for (const f of [`${dir}/bunfig.toml`, ...(home ? [`${home}/.bunfig.toml`] : [])]) {
      if (await hasLine(o.files, f, /^\s*registry\s*=|^\s*\[install\.registry\]/m)) return { note: `${f} sets a registry: bun was run without the install guard, so the packages it pulls in were not checked during the run` };
    }
  }
  return undefined;
}

const AUTH_FIELDS = new Set(['_authToken', '_auth', 'username', '_password', 'certfile', 'keyfile']);

function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

/** Whether npm would send credentials to `registry`: userinfo in its URL, or an auth key of .npmrc whose `//host/path/` covers it. */
function needsCredentials(registry: string, npmrc: Record<string, string>): boolean {
  let u: URL;
  try {
    u = new URL(registry);
  } catch {
    return false;
  }
  if (hasUserinfo(registry)) return true;
  const bare = `//${u.host}${u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`}`;
  return Object.entries(npmrc).some(([k, v]) => {
    const i = k.lastIndexOf(':');
    return i > 2 && v !== '' && AUTH_FIELDS.has(k.slice(i + 1)) && bare.startsWith(k.slice(0, i));
  });
}

/** yarn's own default registry (yarn 1 and 2+), where npm's is registry.npmjs.org. */
export const YARN_DEFAULT_REGISTRY = 'https://registry.yarnpkg.com/';

/**
 * The npm registry the guard must stand for when it is not the npm config's: yarn with no registry
 * configured asks registry.yarnpkg.com, and yarn 1 writes the tarball URLs it gets into yarn.lock,
 * so the guard fronts that host (the same packages) and yarn.lock keeps its usual URLs.
 */
export async function guardUpstream(cmd: InstallCommand, o: { env: Io['env']; cwd: string }): Promise<string | undefined> {
  if (cmd.tool !== 'yarn') return undefined;
  const { loadNpmConfig } = await import('../registry/npmrc.js');
  const conf = loadNpmConfig({ env: o.env, cwd: o.cwd, home: o.env.HOME || o.env.USERPROFILE || '/nonexistent' });
  return conf.registry ? undefined : YARN_DEFAULT_REGISTRY;
}

/** What the guard decided about one package during the run (the first decision that matters). */
export interface GuardEvent {
  kind: 'refused' | 'unverified' | 'warned' | 'monitored';
  decision: Decision;
  result?: PackageResult;
}

/** A guard started for one run. */
export interface RunGuard {
  /** The variables that point the tools at it. */
  env: Record<string, string>;
  /** uv's index variables, for a `uv pip` run only (a uv project command would write them into uv.lock). */
  uvEnv?: Record<string, string>;
  /** Per package (`eco:name`), what the guard decided that the wrapper must say. */
  events(): GuardEvent[];
  close(): Promise<void>;
}

/**
 * The variables a wrapped run gets: the npm family's and pip's index; uv's only for a `uv pip`
 * run (`uvEnv`: a uv project command started by the run would record the port in uv.lock), and the
 * extra indexes are left as the user set them (see the module comment).
 */
function runEnv(all: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith('UV_') || k === 'PIP_EXTRA_INDEX_URL') continue;
    out[k] = v;
  }
  return out;
}

/**
 * Start the guard with the wrapper's check options (policy, allows, cache, network bounds).
 * `onEvent` hears each package's first event as it happens (so a refusal is said while the tool
 * still runs or retries). Throws when the guard cannot start.
 */
export async function startRunGuard(check: CheckOptions, onEvent: (e: GuardEvent) => void, npmRegistry?: string): Promise<RunGuard> {
  // Loaded only for an install that gets a guard: `npm run build` never pays for the server.
  const { startEphemeralGuard } = await import('../serve/ephemeral.js');
  const seen = new Map<string, GuardEvent>();
  const monitor = check.policy?.mode === 'monitor';
  const failOnWarn = check.policy?.failOn === 'warn';
  const onDecision = (d: Decision) => {
    const kind = eventKind(d, monitor, failOnWarn);
    if (!kind) return;
    const key = `${d.ecosystem}:${d.name}`;
    const old = seen.get(key);
    // A refusal outranks what an earlier request for the same package was told.
    if (old && (old.kind === 'refused' || kind !== 'refused')) return;
    const e: GuardEvent = { kind, decision: d, ...(d.result ? { result: d.result } : {}) };
    seen.set(key, e);
    onEvent(e);
  };
  // The guard stands in for the registry the tool would have used, so its npm upstream is the
  // tool's own (.npmrc, npm_config_registry), not SLOPGUARD_NPM_REGISTRY (which only says where
  // slopguard looks names up); the other overrides (downloads API, PyPI) are kept.
  const overrides = { ...(check.registryOverrides ?? {}) };
  delete overrides.npmRegistry;
  if (npmRegistry) overrides.npmRegistry = npmRegistry;
  const guard = await startEphemeralGuard({
    check: { ...check, registryOverrides: overrides },
    tarballs: 'per-client',
    // The wrapper says what matters itself (onEvent); the serve log would be a line per request.
    log: () => {},
    onDecision,
  });
  const uvEnv = Object.fromEntries(Object.entries(guard.env).filter(([k]) => k === 'UV_DEFAULT_INDEX' || k === 'UV_INDEX_URL'));
  return { env: runEnv(guard.env), uvEnv, events: () => [...seen.values()], close: () => guard.close() };
}

/** What a decision means for the person running the wrapper, or undefined when it is nothing to say. */
function eventKind(d: Decision, monitor: boolean, failOnWarn: boolean): GuardEvent['kind'] | undefined {
  // Monitor mode serves what it judged bad (or passes on the upstream's 404 for a name that does not exist).
  const wouldRefuse = d.verdict === 'block' || (d.verdict === 'warn' && failOnWarn);
  if (monitor && wouldRefuse && (d.decision === 'allowed' || d.decision === 'not-served')) return 'monitored';
  switch (d.decision) {
    case 'allowed':
      return d.verdict === 'warn' ? 'warned' : undefined;
    case 'unverified':
      // Served with a warning (200), or refused under fail-closed (503).
      return d.status >= 400 ? 'refused' : 'unverified';
    case 'blocked':
    case 'too-young':
    case 'invalid-name':
      return 'refused';
    case 'upstream':
      // The guard could not get the package: the install fails; say why.
      return 'refused';
    case 'not-served':
      // A path, version or file the upstream does not have: the client reports it as it would.
      return undefined;
  }
  return undefined;
}
