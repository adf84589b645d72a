/**
 * Each install door driven in-process, the way its real caller drives it:
 * - Claude Code: `slopguard hook claude` with the PreToolUse JSON on stdin (Bash, Write, Edit,
 *   MultiEdit tool_input shapes as src/hook/claude.ts documents them); under the
 *   `bypassPermissions` mode an "ask" is approved without a prompt, so only a deny stops;
 * - Cursor: `slopguard hook cursor` with the beforeShellExecution JSON;
 * - the wrappers: `slopguard <tool> <args...>` with a fake package manager on PATH that records
 *   whether it was started, on a "terminal" whose user answers no to any question; for the cases
 *   only the install reveals (`transitive`), with the real npm or pnpm through the wrapper's
 *   install guard (runWrapperReal).
 * Each run is reduced to one {@link DoorOutcome}.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, WRAPPED_TOOLS } from '../../src/cli/run.js';
import { testIo } from '../helpers/io.js';
import type { CorpusCase } from './load.js';

/** The doors the corpus measures. */
export const DOORS = ['claude', 'cursor', 'wrapper'] as const;
export type Door = (typeof DOORS)[number];

/** What a door did with a case. */
export interface DoorOutcome {
  /** Denied or asked (hooks); the package manager never started (wrapper). */
  stopped: boolean;
  /** An internal error, an answer that is not the protocol's JSON, an unexpected exit code. */
  crash?: string;
  /** The door's own words, for the miss list. */
  detail: string;
}

/** Where a run happens: the copied project folder, the environment, the clock. */
export interface RunContext {
  projectDir(name: string): string;
  env: Record<string, string>;
  now: Date;
  /** Text substituted for `{{PRIVATE}}` in commands. */
  privateUrl: string;
  /** The hooks' environment, when it differs from `env` (the real npm on PATH, to resolve trees). */
  hookEnv?: Record<string, string>;
}

export function commandOf(c: CorpusCase, ctx: RunContext): string {
  return (c.command ?? '').replaceAll('{{PRIVATE}}', ctx.privateUrl);
}

/** A message on one line, shortened: enough to tell why a door answered as it did. */
const firstLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);

/** Claude Code's PreToolUse input for a case. */
function claudeInput(c: CorpusCase, ctx: RunContext): Record<string, unknown> {
  const cwd = ctx.projectDir(c.cwd);
  let tool_name: string;
  let tool_input: Record<string, unknown>;
  if (c.door === 'bash') {
    tool_name = 'Bash';
    tool_input = { command: commandOf(c, ctx), description: 'Run a command', timeout: 120000 };
  } else {
    const file_path = join(cwd, c.file_path!);
    if (c.door === 'write') {
      tool_name = 'Write';
      tool_input = { file_path, content: c.content };
    } else if (c.edits) {
      tool_name = 'MultiEdit';
      tool_input = { file_path, edits: c.edits.map((e) => ({ ...e, replace_all: false })) };
    } else {
      tool_name = 'Edit';
      tool_input = { file_path, old_string: c.old_string, new_string: c.new_string, replace_all: false };
    }
  }
  return {
    session_id: 'corpus',
    transcript_path: '/home/user/.claude/projects/corpus/corpus.jsonl',
    cwd,
    permission_mode: c.permission_mode ?? 'default',
    hook_event_name: 'PreToolUse',
    tool_name,
    tool_input,
    tool_use_id: `toolu_${c.id}`,
  };
}

function internalError(err: string): string | undefined {
  const m = /internal error[^\n]*/.exec(err);
  return m ? m[0] : undefined;
}

export async function runClaude(c: CorpusCase, ctx: RunContext): Promise<DoorOutcome> {
  const t = testIo({ env: ctx.hookEnv ?? ctx.env, stdin: JSON.stringify(claudeInput(c, ctx)), now: ctx.now, cwd: ctx.projectDir(c.cwd) });
  const code = await run(['hook', 'claude'], t.io);
  const out = t.out();
  const err = t.err();
  const bug = internalError(err);
  if (code !== 0) return { stopped: false, crash: `exit ${code}: ${firstLine(err)}`, detail: err };
  if (bug) return { stopped: false, crash: bug, detail: err };
  if (!out.trim()) return { stopped: false, detail: `no objection${err ? ` (${firstLine(err)})` : ''}` };
  let json: { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string }; systemMessage?: string };
  try {
    json = JSON.parse(out);
  } catch {
    return { stopped: false, crash: `not JSON: ${firstLine(out)}`, detail: out };
  }
  const decision = json.hookSpecificOutput?.permissionDecision;
  if (decision === undefined) return { stopped: false, detail: `warning only: ${firstLine(json.systemMessage ?? out)}` };
  if (!['deny', 'ask', 'allow'].includes(decision)) return { stopped: false, crash: `unknown decision ${decision}`, detail: out };
  // Under bypassPermissions Claude Code approves an "ask" without showing it to anyone.
  const stopped = decision === 'deny' || (decision === 'ask' && c.permission_mode !== 'bypassPermissions');
  return { stopped, detail: `${decision}${stopped ? '' : ` (${c.permission_mode})`}: ${firstLine(json.hookSpecificOutput?.permissionDecisionReason ?? '')}` };
}

export async function runCursor(c: CorpusCase, ctx: RunContext): Promise<DoorOutcome> {
  const cwd = ctx.projectDir(c.cwd);
  const input = { hook_event_name: 'beforeShellExecution', conversation_id: 'corpus', generation_id: c.id, workspace_roots: [cwd], command: commandOf(c, ctx), cwd };
  const t = testIo({ env: ctx.hookEnv ?? ctx.env, stdin: JSON.stringify(input), now: ctx.now, cwd });
  const code = await run(['hook', 'cursor'], t.io);
  const out = t.out();
  const err = t.err();
  const bug = internalError(err);
  if (code !== 0) return { stopped: false, crash: `exit ${code}: ${firstLine(err)}`, detail: err };
  if (bug) return { stopped: false, crash: bug, detail: err };
  let json: { permission?: string; agent_message?: string; user_message?: string };
  try {
    json = JSON.parse(out);
  } catch {
    return { stopped: false, crash: `not JSON: ${firstLine(out) || '(no output)'}`, detail: out };
  }
  if (!['allow', 'deny', 'ask'].includes(json.permission ?? '')) return { stopped: false, crash: `no permission in ${firstLine(out)}`, detail: out };
  return { stopped: json.permission !== 'allow', detail: `${json.permission}${json.user_message ? `: ${firstLine(json.user_message)}` : ''}` };
}

// ---------------------------------------------------------------------------------------------
// the wrappers
// ---------------------------------------------------------------------------------------------

/**
 * The argv of a single plain command (words, quotes, backslash-newline continuations), or
 * undefined when the shell would do more than run one program: operators, redirections,
 * expansions, globs, comments, environment prefixes, several lines. Only such commands can be
 * typed as `slopguard <tool> ...` without changing what they mean.
 */
export function plainArgv(command: string): string[] | undefined {
  const src = command.replace(/\\\n/g, ' ');
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + src.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '$' || src[j] === '`') return undefined;
        if (src[j] === '\\' && j + 1 < src.length && '"\\$`'.includes(src[j + 1]!)) j++;
        text += src[j];
      }
      if (j >= src.length) return undefined;
      word = (word ?? '') + text;
      i = j;
    } else if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|&;<>()$`\\*?[]{}#~!\n'.includes(ch)) {
      return undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  // `CI=1 npm i x` sets a variable for the command: not something `slopguard npm ...` can say.
  return words.length && WRAPPED_TOOLS.has(words[0]!) ? words : undefined;
}

/** Tools the wrapper may start; each is a shell script appending its argv to a log. */
export function installFakeTools(binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  for (const tool of WRAPPED_TOOLS) {
    const p = join(binDir, tool);
    writeFileSync(p, '#!/bin/sh\nprintf \'%s\\n\' "$0 $*" >> "$CORPUS_FAKE_LOG"\n');
    chmodSync(p, 0o755);
  }
}

export async function runWrapper(c: CorpusCase, argv: string[], ctx: RunContext, log: string): Promise<DoorOutcome> {
  const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
  // A terminal whose user answers "no": a warning asks, and "no" keeps the tool from starting.
  const t = testIo({ env: ctx.env, stdin: 'n\n', now: ctx.now, cwd: ctx.projectDir(c.cwd), tty: true });
  (t.io.stdin as { isTTY?: boolean }).isTTY = true;
  const code = await run(argv, t.io);
  const err = t.err();
  const started = (existsSync(log) ? readFileSync(log, 'utf8').length : 0) > before;
  const bug = internalError(err);
  if (bug) return { stopped: !started, crash: bug, detail: err };
  if (code === 127 || code === 2) return { stopped: !started, crash: `exit ${code}: ${firstLine(err)}`, detail: err };
  if (started && code !== 0) return { stopped: false, crash: `the tool ran but the wrapper exited ${code}`, detail: err };
  const plain = err.replace(/\u001b\[[0-9;]*m/g, '');
  return { stopped: !started, detail: `${started ? 'ran' : 'not run'} (exit ${code})${plain ? `: ${firstLine(plain)}` : ''}` };
}

/**
 * The wrapper with the real package manager, for the cases only the install itself can reveal
 * (`transitive`: a good package whose dependency does not exist). The wrapper's install guard
 * (src/wrap/guard.ts) judges each package the client asks for, so here "stopped" means the install
 * did not complete: the wrapper exited 1 saying the guard refused a package, and the bad name is
 * not in node_modules. The client runs in a fresh copy of the project, with its own HOME and cache,
 * against the corpus's public fixture registry as its own registry (npm_config_registry); it asks
 * for no tarball, since the missing dependency fails the resolution first.
 */
export async function runWrapperReal(c: CorpusCase, argv: string[], ctx: RunContext, real: { path: string; scratch: string }): Promise<DoorOutcome> {
  const dir = join(real.scratch, c.id);
  cpSync(ctx.projectDir(c.cwd), dir, { recursive: true });
  const home = join(real.scratch, `${c.id}-home`);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.npmrc'), '');
  const env: Record<string, string> = {
    ...ctx.env,
    PATH: real.path,
    HOME: home,
    npm_config_userconfig: join(home, '.npmrc'),
    npm_config_registry: ctx.env.SLOPGUARD_NPM_REGISTRY!,
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_store_dir: join(home, 'pnpm-store'),
    npm_config_fetch_retries: '0',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // The clients' own output would land in the test runner's stdout (the wrapper inherits stdio).
    npm_config_loglevel: 'silent',
    npm_config_reporter: 'silent',
    CI: '1',
  };
  const t = testIo({ env, stdin: 'n\n', now: ctx.now, cwd: dir, tty: true });
  (t.io.stdin as { isTTY?: boolean }).isTTY = true;
  const code = await run(argv, t.io);
  const err = t.err();
  const bug = internalError(err);
  if (bug) return { stopped: false, crash: bug, detail: err };
  const plain = err.replace(/\u001b\[[0-9;]*m/g, '');
  const refused = /the install guard refused \d+ packages? during the run/.test(plain);
  const added = existsSync(join(dir, 'node_modules')) ? readdirSync(join(dir, 'node_modules')).filter((e) => !e.startsWith('.')) : [];
  if (code === 0) return { stopped: false, detail: `installed (exit 0): ${added.join(', ')}${plain ? `: ${firstLine(plain)}` : ''}` };
  if (!refused) return { stopped: false, crash: `the install failed (exit ${code}) without a guard refusal: ${firstLine(plain)}`, detail: err };
  return { stopped: added.length === 0, detail: `install guard refused (exit ${code}): ${firstLine(plain.slice(plain.indexOf('BLOCKED')))}` };
}
