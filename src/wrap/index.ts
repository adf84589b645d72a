import { audit, reportPackages } from '../audit/index.js';
import { check as realCheck } from '../core/check.js';
import { isUserError } from '../core/errors.js';
import { packageKey } from '../core/names.js';
import { EXIT, type Ecosystem, type PackageResult, type Report } from '../core/types.js';
import { parseCommandLine, type InstallCommand } from '../extractors/text/install-command.js';
import { useColor, type Io } from '../cli/io.js';
import { checkOptionsFor, settingsFor, type CommonFlags } from '../cli/options.js';
import { escapeForTerminal as esc } from '../reporters/escape.js';
import { MONITOR_MODE_LABEL, REGISTRY_NAME, reasonLine } from '../reporters/messages.js';
import { noteMessage } from '../reporters/note-message.js';
import { fails } from '../policy/verdict.js';
import { splitWrapperArgv, type WrapperFlags } from './argv.js';
import { findExecutable } from './locate.js';
import { checkPlan } from '../install/check-plan.js';
import { planInstall } from '../install/plan-install.js';
import { registriesFromEnv, treeResolver, wrapperTreeChoice } from '../install/tree-option.js';
import { userFiles } from '../install/user-files.js';
import { askYesNo, canAsk } from './prompt.js';
import { guardSkip, guardUpstream, startRunGuard, type GuardEvent, type RunGuard } from './guard.js';
import type { CheckOptions } from '../core/check.js';
import { EXIT_NOT_FOUND, runTool } from './spawn.js';
import { UnsupportedShimError, windowsSpawnTarget } from './windows.js';

/**
 * `slopguard <tool> <args...>`: check what an install command is about to fetch, then run the
 * real tool with the same arguments, or refuse.
 *
 * - not an install (`npm run build`, `pip list`, `python script.py`): run the tool at once; no
 *   registry request at all;
 * - a package blocks (or warns under `--fail-on warn`): say which, why and what was probably
 *   meant, exit 1, and never start the tool;
 * - a package warns: on a terminal ask (default no); otherwise print the warning and go on;
 * - a package could not be checked (registry down): `failClosed` false (default) prints a loud
 *   warning and goes on; `failClosed` true (`--slopguard-fail-closed`, SLOPGUARD_FAIL_CLOSED=1 or
 *   the config file) blocks it like any other block;
 * - an install that passes is run through an ephemeral registry guard (guard.ts), which judges
 *   every package the tool asks for, transitive ones included; what it refuses is said here and
 *   the wrapper exits 1; `--slopguard-no-guard` / SLOPGUARD_GUARD=0 run with the pre-check only;
 * - SLOPGUARD_DISABLE=1 runs the tool unchecked (said on stderr); inside a wrapped run
 *   (SLOPGUARD_WRAPPED=1, set for the child) nested calls from install scripts run unchecked and
 *   silently, so a shell function or shim cannot loop or check the same install twice.
 */

/** What runWrapper touches, injectable for tests. */
export interface WrapDeps {
  check: typeof realCheck;
  /** Find the real tool; undefined when it is not installed. */
  locate: (tool: string, env: Io['env']) => string | undefined;
  /** Start it and wait for its exit status. */
  run: (file: string, args: readonly string[], env: Io['env'], cwd: string, io: Io) => Promise<number>;
  platform: NodeJS.Platform;
  /** Start the run's registry guard (default guard.ts startRunGuard). */
  guard?: (check: CheckOptions, onEvent: (e: GuardEvent) => void, npmRegistry?: string) => Promise<RunGuard>;
}

const truthy = (v: string | undefined) => v !== undefined && !['', '0', 'false', 'no', 'off'].includes(v.trim().toLowerCase());

function defaultDeps(): WrapDeps {
  return {
    check: realCheck,
    locate: (tool, env) => findExecutable(tool, { env }),
    run: (file, args, env, cwd, io) => runTool(file, args, { env, cwd }, (m) => io.stderr.write(`slopguard: ${esc(m)}\n`)),
    platform: process.platform,
  };
}

/** Run the real tool (Windows batch launchers resolved to their script), with SLOPGUARD_WRAPPED set. */
async function execTool(tool: string, args: readonly string[], io: Io, deps: WrapDeps, guardEnv: Record<string, string> = {}): Promise<number> {
  const found = deps.locate(tool, io.env);
  if (!found) {
    io.stderr.write(`slopguard: ${esc(tool)} was not found on PATH (slopguard's own shims are skipped)\n`);
    return EXIT_NOT_FOUND;
  }
  let file = found;
  let pre: string[] = [];
  if (deps.platform === 'win32') {
    try {
      const target = windowsSpawnTarget(found);
      file = target.file;
      pre = target.args;
    } catch (e) {
      if (e instanceof UnsupportedShimError) {
        io.stderr.write(`slopguard: ${esc(e.message)}\n`);
        return EXIT_NOT_FOUND;
      }
      throw e;
    }
  }
  return deps.run(file, [...pre, ...args], { ...io.env, ...guardEnv, SLOPGUARD_WRAPPED: '1' }, io.cwd, io);
}

/** Bare names in SLOPGUARD_ALLOW / --slopguard-allow mean this tool's ecosystem (`reqests` under pip is pypi:reqests). */
function qualify(names: readonly string[], ecosystem: Ecosystem): string[] {
  return names.map((n) => (/^(npm|pypi):/.test(n) ? n : `${ecosystem}:${n}`));
}

/** `eco:name` as the pipeline keys it (PyPI names normalised). */
function allowKey(qualified: string): string {
  const i = qualified.indexOf(':');
  return packageKey(qualified.slice(0, i) as Ecosystem, qualified.slice(i + 1));
}

interface Painter {
  (code: number, s: string): string;
}

function packageLabel(p: PackageResult): string {
  return `${REGISTRY_NAME[p.ecosystem]} package \`${esc(p.name)}\``;
}

/** Print one-off allows (loudly), unread inputs and warnings about slopguard itself. */
function printVerdicts(report: Report, io: Io, paint: Painter, oneOffAllowed: ReadonlySet<string>): void {
  for (const p of report.packages) {
    const allowed = p.findings.find((f) => f.code === 'allowlisted');
    if (allowed && oneOffAllowed.has(packageKey(p.ecosystem, p.name))) {
      io.stderr.write(`${paint(33, 'slopguard: ALLOWED')} ${packageLabel(p)} without checking (${esc(String(allowed.evidence?.reason ?? 'one-off allow'))})\n`);
    }
  }
  for (const n of report.notes) {
    if (n.level === 'info') continue;
    io.stderr.write(`slopguard: ${n.level === 'error' ? 'error' : 'warning'}: ${esc(n.origin.file === '<args>' ? '' : `${n.origin.file}${n.origin.line ? `:${n.origin.line}` : ''}: `)}${esc(noteMessage(n))}\n`);
  }
  for (const w of report.warnings ?? []) io.stderr.write(`slopguard: warning: ${esc(w)}\n`);
}

function label(p: PackageResult): string {
  return p.verdict === 'block' ? 'BLOCKED' : p.verdict === 'unknown' ? 'NOT VERIFIED' : 'WARNING';
}

function packageLines(p: PackageResult, paint: Painter): string {
  const color = p.verdict === 'block' ? 31 : p.verdict === 'unknown' ? 35 : 33;
  const where = p.origins.find((o) => o.file !== '<args>' && o.line);
  const at = where ? ` (${esc(where.file)}:${where.line})` : '';
  return `${paint(color, `slopguard: ${label(p)}`)} ${packageLabel(p)}${at}\n  ${esc(reasonLine(p))}\n`;
}

/** Ask-or-proceed for warned packages; returns false when the user said no. */
async function confirmWarnings(warned: PackageResult[], io: Io, flags: WrapperFlags, tool: string): Promise<boolean> {
  if (warned.length === 0 || flags.yes) return true;
  if (!canAsk(io)) return true;
  return askYesNo(io, `slopguard: run ${tool} anyway?`);
}

/**
 * The `slopguard <tool> ...` door. Returns the tool's exit status, or 1 when slopguard refused,
 * 2 for bad slopguard options, 127 when the tool is not installed.
 */
export async function runWrapper(argv: readonly string[], io: Io): Promise<number> {
  return runWrapperWith(argv, io, defaultDeps());
}

/** {@link runWrapper} with its world injected. */
export async function runWrapperWith(argv: readonly string[], io: Io, deps: WrapDeps): Promise<number> {
  let split;
  try {
    split = splitWrapperArgv(argv);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr.write(`slopguard: ${esc(e.message)}\n`);
      return EXIT.USAGE;
    }
    throw e;
  }
  const { tool, args, flags } = split;

  // Nested inside a wrapped run (an install script calling npm): the outer run already decided.
  if (truthy(io.env.SLOPGUARD_WRAPPED)) return execTool(tool, args, io, deps);
  if (truthy(io.env.SLOPGUARD_DISABLE)) {
    io.stderr.write(`slopguard: checks disabled by SLOPGUARD_DISABLE; running ${esc(tool)} unchecked\n`);
    return execTool(tool, args, io, deps);
  }

  const cmd: InstallCommand | undefined = parseCommandLine([tool, ...args]);
  // Not an install: pass straight through, no registry request.
  if (!cmd || !cmd.isInstall) return execTool(tool, args, io, deps);

  const paint: Painter = useColor(io.stderr, io.env) ? (c, s) => `\u001b[${c}m${s}\u001b[0m` : (_c, s) => s;
  const env = { ...io.env };
  if (env.SLOPGUARD_ALLOW) env.SLOPGUARD_ALLOW = qualify(env.SLOPGUARD_ALLOW.split(/[\s,]+/).filter(Boolean), cmd.ecosystem).join(',');
  const allow = qualify(flags.allow, cmd.ecosystem);
  const commonFlags: CommonFlags = { allow };
  if (flags.failOn !== undefined) commonFlags.failOn = flags.failOn;
  if (flags.failClosed) commonFlags.failClosed = true;
  // The registry or index the tool was pointed at is the one the planner asks (per command).
  const wio: Io = { ...io, env };

  let report: Report;
  let failOn: 'block' | 'warn';
  let failClosed: boolean;
  let settings: ReturnType<typeof settingsFor>;
  let checkOptions: CheckOptions;
  try {
    settings = settingsFor(commonFlags, wio);
    failOn = settings.policy.failOn;
    failClosed = settings.policy.failClosed;
    // The transitive tree: the install guard judges it during the run; before the run only when asked
    // (SLOPGUARD_RESOLVE_TREE=1) and the guard will not run. A person waits for a wrapped install, so a minute.
    const guarded = (await guardSkip(cmd, { noGuardFlag: flags.noGuard === true, env: io.env, cwd: io.cwd, files: userFiles(io.cwd) })) === undefined;
    const resolveTree = guarded ? undefined : treeResolver(env, () => 60_000, registriesFromEnv(env), wrapperTreeChoice(env));
    const plan = await planInstall([tool, ...args], io.cwd, userFiles(io.cwd), resolveTree ? { resolveTree } : {});
    checkOptions = checkOptionsFor(settings, wio, commonFlags);
    report = await checkPlan(plan, checkOptions, deps.check);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr.write(`slopguard: ${esc(e.message)}\nslopguard: ${esc(tool)} was not run\n`);
      return EXIT.USAGE;
    }
    throw e;
  }

  const oneOff = new Set([...allow, ...(env.SLOPGUARD_ALLOW ? env.SLOPGUARD_ALLOW.split(',') : [])].map(allowKey));
  printVerdicts(report, io, paint, oneOff);
  const policy = { failOn };
  const stopping = report.packages.filter((p) => fails(p.verdict, policy));
  const unknown = report.packages.filter((p) => p.verdict === 'unknown');
  const warned = report.packages.filter((p) => p.verdict === 'warn' && !fails(p.verdict, policy));

  // Packages slopguard could not even list (an unreadable, malformed or remote requirements file,
  // a name it cannot read) are unchecked too: under fail-closed they stop the tool like unverified
  // ones, instead of letting the tool install what nobody looked at.
  const unlisted = report.notes.filter((n) => n.unverified || n.level === 'error' || (n.level === 'warning' && (n.code === 'unsupported' || n.code === 'skipped')));
  const monitor = settings.policy.mode === 'monitor';
  // One audit record per decision: the tool's command line, redacted, and what was done with it.
  const record = (outcome: 'allowed' | 'refused', exit?: number) =>
    audit(settings.auditLog, { door: 'wrap', outcome, monitor, packages: reportPackages(report, '--slopguard-allow'), command: [tool, ...args], oneOffFlag: '--slopguard-allow', ...(exit !== undefined ? { extra: { exit } } : {}) }, wio);
  if (monitor && (stopping.length || (failClosed && unlisted.length))) {
    // Monitor mode: everything is said, nothing is refused (and nothing is asked).
    for (const p of [...stopping, ...unknown, ...warned]) io.stderr.write(packageLines(p, paint));
    io.stderr.write(`${paint(33, `slopguard: ${MONITOR_MODE_LABEL}`)} ${esc(tool)} runs although slopguard would have refused it\n`);
    await record('refused');
    return guardedRun();
  }
  if (failClosed && unlisted.length && !stopping.length) {
    io.stderr.write(`${paint(31, 'slopguard:')} ${esc(tool)} was not run: it would install packages slopguard could not check (see above), and fail-closed is on\n`);
    await record('refused', EXIT.FAIL);
    return EXIT.FAIL;
  }
  if (stopping.length) {
    for (const p of stopping) io.stderr.write(packageLines(p, paint));
    const names = stopping.map((p) => (p.ecosystem === cmd.ecosystem ? p.name : `${p.ecosystem}:${p.name}`));
    io.stderr.write(
      `${paint(31, 'slopguard:')} ${esc(tool)} was not run. If you are sure, run it again with ${names.map((n) => `--slopguard-allow ${esc(n)}`).join(' ')}\n`,
    );
    await record('refused', EXIT.FAIL);
    return EXIT.FAIL;
  }
  for (const p of unknown) io.stderr.write(packageLines(p, paint));
  if (unknown.length) io.stderr.write(`${paint(35, 'slopguard:')} could not verify ${unknown.length} package${unknown.length === 1 ? '' : 's'}; proceeding (SLOPGUARD_FAIL_CLOSED=1 blocks instead)\n`);
  for (const p of warned) io.stderr.write(packageLines(p, paint));
  if (!monitor && !(await confirmWarnings(warned, io, flags, tool))) {
    io.stderr.write(`slopguard: ${esc(tool)} was not run\n`);
    await record('refused', EXIT.FAIL);
    return EXIT.FAIL;
  }
  await record('allowed');
  if (report.summary.checked > 0 && warned.length === 0 && unknown.length === 0 && io.stderr.isTTY) {
    io.stderr.write(`slopguard: ${report.summary.checked} package${report.summary.checked === 1 ? '' : 's'} checked, ok\n`);
  }
  return guardedRun();

  /** Run the tool through the run's guard (guard.ts), or without one when the guard does not apply. */
  async function guardedRun(): Promise<number> {
    const skip = await guardSkip(cmd!, { noGuardFlag: flags.noGuard === true, env: io.env, cwd: io.cwd, files: userFiles(io.cwd) });
    if (skip) {
      if ('note' in skip) io.stderr.write(`slopguard: note: ${esc(skip.note)}\n`);
      return execTool(tool, args, io, deps);
    }
    const checked = new Set(report.packages.map((p) => packageKey(p.ecosystem, p.name)));
    const refusedNow = (e: GuardEvent) => {
      if (e.kind === 'refused') io.stderr.write(guardLines(e, checked, paint));
    };
    let guard: RunGuard;
    try {
      // One package at a time: no progress line.
      const { onProgress: _progress, ...guardCheck } = checkOptions;
      guard = await (deps.guard ?? startRunGuard)(guardCheck, refusedNow, await guardUpstream(cmd!, { env: io.env, cwd: io.cwd }));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (failClosed) {
        io.stderr.write(`${paint(31, 'slopguard:')} ${esc(tool)} was not run: the install guard did not start (${esc(why)}), and fail-closed is on\n`);
        await record('refused', EXIT.FAIL);
        return EXIT.FAIL;
      }
      io.stderr.write(`slopguard: warning: the install guard did not start (${esc(why)}); running ${esc(tool)} with the checks above only\n`);
      return execTool(tool, args, io, deps);
    }
    let code: number;
    try {
      code = await execTool(tool, args, io, deps, cmd!.tool === 'uv' ? { ...guard.env, ...guard.uvEnv } : guard.env);
    } finally {
      await guard.close();
    }
    return afterGuardedRun(guard.events(), code, checked);
  }

  /** Say what the guard saw that the pre-check (`checked`) did not, and the run's exit status. */
  async function afterGuardedRun(events: GuardEvent[], code: number, checked: ReadonlySet<string>): Promise<number> {
    const later = events.filter((e) => e.kind !== 'refused' && !checked.has(packageKey(e.decision.ecosystem, e.decision.name)));
    for (const e of later) io.stderr.write(guardLines(e, checked, paint));
    const notVerified = later.filter((e) => e.kind === 'unverified').length;
    if (notVerified) io.stderr.write(`${paint(35, 'slopguard:')} could not verify ${notVerified} package${notVerified === 1 ? '' : 's'} ${esc(tool)} fetched; it went on (SLOPGUARD_FAIL_CLOSED=1 refuses them instead)\n`);
    if (later.some((e) => e.kind === 'monitored')) io.stderr.write(`${paint(33, `slopguard: ${MONITOR_MODE_LABEL}`)} the install guard would have refused the packages above\n`);
    const refused = events.filter((e) => e.kind === 'refused');
    if (!refused.length) return code;
    const blocked = refused.filter((e) => e.decision.decision === 'blocked').map((e) => (e.decision.ecosystem === cmd!.ecosystem ? e.decision.name : `${e.decision.ecosystem}:${e.decision.name}`));
    const outcome = code === 0 ? `${esc(tool)} finished without ${refused.length === 1 ? 'it' : 'them'}` : `${esc(tool)} did not complete the install`;
    const again = blocked.length ? `. If you are sure, run it again with ${blocked.map((n) => `--slopguard-allow ${esc(n)}`).join(' ')}` : '';
    io.stderr.write(`${paint(31, 'slopguard:')} the install guard refused ${refused.length} package${refused.length === 1 ? '' : 's'} during the run (above); ${outcome}${again}\n`);
    await audit(settings.auditLog, { door: 'wrap', outcome: 'refused', monitor, packages: refused.map(auditPackage), command: [tool, ...args], oneOffFlag: '--slopguard-allow', extra: { exit: EXIT.FAIL } }, wio);
    return EXIT.FAIL;
  }
}

/** A guard event as an audit record's package. */
function auditPackage(e: GuardEvent): { ecosystem: Ecosystem; name: string; verdict: PackageResult['verdict']; codes: string[] } {
  return { ecosystem: e.decision.ecosystem, name: e.decision.name, verdict: e.decision.verdict ?? 'unknown', codes: e.decision.codes ?? [] };
}

/**
 * What the wrapper prints for one guard event: the package, `(transitive)` when the pre-check did
 * not have it, and the reason (the judgement's own reason line; the guard's sentence otherwise).
 */
function guardLines(e: GuardEvent, checked: ReadonlySet<string>, paint: Painter): string {
  const d = e.decision;
  const where = checked.has(packageKey(d.ecosystem, d.name)) ? 'during the install' : 'transitive';
  const subject = `${REGISTRY_NAME[d.ecosystem]} package \`${esc(d.name)}\` (${where})`;
  const refusedUnverified = e.kind === 'refused' && (d.decision === 'unverified' || d.decision === 'upstream');
  const title = e.kind === 'warned' ? 'WARNING' : e.kind === 'unverified' || refusedUnverified ? 'NOT VERIFIED' : e.kind === 'monitored' ? 'WOULD BLOCK' : 'BLOCKED';
  const color = title === 'BLOCKED' || title === 'WOULD BLOCK' ? 31 : title === 'NOT VERIFIED' ? 35 : 33;
  const useResult = e.result && (d.decision === 'blocked' || e.kind !== 'refused');
  // The guard's sentences open with "slopguard refused …"; the line above already says slopguard.
  let reason = useResult ? reasonLine(e.result!) : (d.reason ?? d.decision).replace(/^slopguard /, '');
  if (e.kind === 'refused' && d.decision === 'unverified' && e.result) reason = `${reasonLine(e.result)}; refused because fail-closed is on`;
  return `${paint(color, `slopguard: ${title}`)} ${subject}\n  ${esc(reason)}\n`;
}
