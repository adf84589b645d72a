/**
 * A command line as it may be written to the audit log: credentials removed with the registry
 * layer's redaction (URL user-info, auth headers, npmrc auth, npm tokens, secret query values),
 * plus the value of any flag or assignment whose name says it is a secret (`--token X`,
 * `--password=X`, `NPM_TOKEN=X`). Long arguments are cut: a record must stay one short line.
 */
import { REDACTED, redact } from '../registry/redact.js';

/** Flag or variable names whose value is a secret. Bounded: a literal prefix, one class repeated. */
const SECRET_NAME = /(?:token|passw(?:or)?d|secret|auth|api[-_]?key|credential)s?$/i;
const FLAG = /^(--?[A-Za-z0-9][A-Za-z0-9_-]{0,63})(=.*)?$/s;
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]{0,63})=/;

/** The most characters kept of one argument, and arguments of a command. */
export const MAX_ARG_CHARS = 256;
export const MAX_ARGS = 32;

function cut(arg: string): string {
  return arg.length > MAX_ARG_CHARS ? `${arg.slice(0, MAX_ARG_CHARS)}…` : arg;
}

/** `argv` with secrets replaced by `***` and long arguments cut. */
export function redactCommand(argv: readonly string[]): string[] {
  const out: string[] = [];
  let secretNext = false;
  for (const raw of argv.slice(0, MAX_ARGS)) {
    if (secretNext) {
      out.push(REDACTED);
      secretNext = false;
      continue;
    }
    const flag = FLAG.exec(raw);
    if (flag && SECRET_NAME.test(flag[1]!)) {
      if (flag[2] !== undefined) out.push(`${flag[1]}=${REDACTED}`);
      else {
        out.push(raw);
        secretNext = true;
      }
      continue;
    }
    const assign = ASSIGN.exec(raw);
    if (assign && SECRET_NAME.test(assign[1]!)) {
      out.push(`${assign[1]}=${REDACTED}`);
      continue;
    }
    out.push(cut(redact(raw)));
  }
  if (argv.length > MAX_ARGS) out.push(`… (${argv.length - MAX_ARGS} more)`);
  return out;
}

/** A shell command string (an agent's Bash call), redacted word by word, as one argument. */
export function redactShellCommand(command: string): string[] {
  // Whole-string patterns first (`Bearer X` spans two words), then flag and assignment values word by word.
  const joined = redactCommand(redact(command).split(/\s+/).filter(Boolean)).join(' ');
  return [joined.length > 4 * MAX_ARG_CHARS ? `${joined.slice(0, 4 * MAX_ARG_CHARS)}…` : joined];
}
