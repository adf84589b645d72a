/**
 * What stands in front of the real command: `sudo`, `env X=1`, `FOO=1`, `time`, `nohup`,
 * `xargs`, `corepack`, `docker run … IMAGE`, a Dockerfile `RUN`, and shells run with `-c`. The
 * text engine and the wrappers look through them to the package manager's own word.
 */
import type { Arg } from '../../tools/args.js';
import { COREPACK_PROGRAMS } from '../../tools/index.js';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const SHELL_KEYWORDS = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time', 'nohup', 'builtin', 'noglob', 'nocorrect', 'chronic']);
/** Prefix commands and the options of theirs that take a value. */
const PREFIX_VALUE_FLAGS: Record<string, ReadonlySet<string>> = {
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--close-from']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  exec: new Set(['-a']),
  command: new Set([]),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '--class', '--classdata']),
  stdbuf: new Set(['-i', '-o', '-e', '--input', '--output', '--error']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-n', '-I', '-i', '-d', '-P', '-L', '-l', '-s', '-a', '-E', '-e', '--max-args', '--replace', '--delimiter', '--max-procs', '--max-lines', '--max-chars', '--arg-file', '--eof']),
};
/**
 * Container runners: `docker run [options] IMAGE COMMAND…` and `docker exec [options] CONTAINER
 * COMMAND…` run the command inside the container; an install there fetches the same packages (into
 * an image that then runs them). The options that take a value, from `docker run --help` /
 * `docker exec --help` (podman and nerdctl take the same).
 */
const CONTAINER_RUNNERS: ReadonlySet<string> = new Set(['docker', 'podman', 'nerdctl']);
const CONTAINER_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-a', '--attach', '--add-host', '--annotation', '--blkio-weight', '--cap-add', '--cap-drop', '--cgroup-parent', '--cgroupns', '--cidfile',
  '-c', '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--device', '--dns', '--dns-option', '--dns-search', '--domainname',
  '--entrypoint', '-e', '--env', '--env-file', '--expose', '--gpus', '--group-add', '--health-cmd', '--health-interval', '--health-retries',
  '-h', '--hostname', '--ip', '--ip6', '--ipc', '--isolation', '-l', '--label', '--label-file', '--link', '--log-driver', '--log-opt',
  '--mac-address', '-m', '--memory', '--memory-swap', '--mount', '--name', '--network', '--net', '--network-alias', '--pid', '--platform',
  '-p', '--publish', '--pull', '--restart', '--runtime', '--security-opt', '--shm-size', '--stop-signal', '--stop-timeout', '--storage-opt',
  '--sysctl', '--tmpfs', '--ulimit', '-u', '--user', '--userns', '--uts', '-v', '--volume', '--volume-driver', '--volumes-from', '-w', '--workdir',
  '--detach-keys',
]);

/** Where the command starts in `docker run|exec … IMAGE COMMAND…` (args[i] is the runner), or undefined. */
function containerCommandAt(args: readonly Arg[], i: number): number | undefined {
  let k = i + 1;
  if ((args[k] as Arg | undefined)?.value === 'container') k++;
  const sub = (args[k] as Arg | undefined)?.value;
  if (sub !== 'run' && sub !== 'exec') return undefined;
  for (k++; k < args.length; k++) {
    const a = (args[k] as Arg).value;
    if (a === '--') {
      k++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (!a.includes('=') && CONTAINER_VALUE_FLAGS.has(a)) k++;
  }
  // args[k] is the image or container; the command follows it.
  return k + 1 < args.length ? k + 1 : undefined;
}

/** Shells: `bash -c '…'`, `bash <<EOF`, `sh -s` run what they are given. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);

/**
 * Skips `sudo`, `env`, `FOO=1`, `time`, `nohup`, `xargs`, `corepack` ... in front of the real
 * command. Returns the index of the command word, and whether its arguments come from stdin.
 */
export function skipPrefixes(args: readonly Arg[]): { at: number; fromStdin: boolean; replace?: string } | undefined {
  let i = 0;
  let fromStdin = false;
  let replace: string | undefined;
  while (i < args.length) {
    const v = (args[i] as Arg).value;
    if (ASSIGNMENT.test(v) || SHELL_KEYWORDS.has(v)) {
      i++;
      continue;
    }
    if (i === 0 && v === 'RUN') {
      // A Dockerfile `RUN` line pasted as shell: skip it and its `--mount=…`-style flags.
      i++;
      while (i < args.length && (args[i] as Arg).value.startsWith('--')) i++;
      continue;
    }
    const base = programName(v);
    if (base === 'command' && args[i + 1]?.value.startsWith('-') && /[vV]/.test(args[i + 1]?.value ?? '')) return undefined; // `command -v npm` looks up, never runs
    const valueFlags = PREFIX_VALUE_FLAGS[base];
    if (valueFlags) {
      i++;
      while (i < args.length) {
        const a = (args[i] as Arg).value;
        if (a === '--') {
          i++;
          break;
        }
        if (a.startsWith('-') && a.length > 1) {
          if (base === 'xargs' && (a === '-I' || a === '--replace')) replace = args[i + 1]?.value;
          else if (base === 'xargs' && /^-[Ii]./.test(a)) replace = a.slice(2);
          else if (base === 'xargs' && a === '-i') replace = '{}';
          i += valueFlags.has(a) && a !== '-i' ? 2 : 1;
          continue;
        }
        if (base === 'env' && ASSIGNMENT.test(a)) {
          i++;
          continue;
        }
        break;
      }
      if (base === 'timeout' && i < args.length) i++; // the duration
      if (base === 'xargs') fromStdin = true;
      continue;
    }
    if (base === 'corepack' && COREPACK_PROGRAMS.has(args[i + 1]?.value ?? '')) {
      i++;
      continue;
    }
    // `docker run … IMAGE cmd`: the command inside the container; any other docker command is the program itself.
    const inner = CONTAINER_RUNNERS.has(base) ? containerCommandAt(args, i) : undefined;
    if (inner !== undefined) {
      i = inner;
      continue;
    }
    const found: { at: number; fromStdin: boolean; replace?: string } = { at: i, fromStdin };
    if (replace !== undefined) found.replace = replace;
    return found;
  }
  return undefined;
}

/** `bash -c '…'` and friends: the index of the command-string argument. */
export function innerShellCommand(args: readonly Arg[]): { index: number } | undefined {
  const skipped = skipPrefixes(args);
  if (!skipped) return undefined;
  const { at } = skipped;
  if (!SHELLS.has(programName((args[at] as Arg).value))) return undefined;
  for (let i = at + 1; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (!v.startsWith('-')) return undefined;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) return i + 1 < args.length ? { index: i + 1 } : undefined;
    // `-o pipefail`, and a group ending in o that takes the option name next (`-euo pipefail`).
    if (/^[-+][a-zA-Z]*[oO]$/.test(v)) i++;
  }
  return undefined;
}

/** `/usr/bin/python3.12.exe` -> `python3.12`. */
export function programName(word: string): string {
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1);
  return base.replace(/\.(?:exe|cmd|bat|ps1)$/i, '').toLowerCase();
}
