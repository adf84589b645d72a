import { existsSync, readFileSync } from 'node:fs';
import { win32 } from 'node:path';

/**
 * Windows: how to start a `.cmd`/`.bat` without a shell.
 *
 * Node refuses to spawn batch files with `shell: false` (CVE-2024-27980), and running them through
 * `cmd.exe` would re-parse every argument with cmd's quoting rules (`&`, `|`, `%VAR%`, `^`): exactly
 * the injection slopguard promises not to allow. Almost every package-manager `.cmd` on PATH is a
 * thin launcher for a Node script, written either by npm's cmd-shim (`"%dp0%\node_modules\...\cli.js" %*`)
 * or by the Node installer for npm/npx (`SET "NPM_CLI_JS=%~dp0\node_modules\npm\bin\npm-cli.js"`).
 * For those, slopguard runs `node <script> <args...>` directly, which is what the .cmd would do.
 * A `.cmd` that points at an `.exe` is run as that `.exe`. Anything else is refused with a message
 * rather than handed to cmd.exe.
 */

/** What to spawn: a program and the arguments before the user's. */
export interface SpawnTarget {
  file: string;
  args: string[];
}

/** Why a batch file could not be turned into a direct spawn. */
export class UnsupportedShimError extends Error {
  override name = 'UnsupportedShimError';
}

/** Expand the batch-file forms of "the folder of this script". */
function expandDir(path: string, dir: string): string {
  return path.replace(/^%~dp0%?\\?|^%dp0%\\?/i, `${dir}\\`);
}

/**
 * Read a `.cmd` launcher and return the script or program it starts, or undefined when it is not
 * one of the known shapes.
 */
export function parseCmdShim(text: string, shimPath: string): { script?: string; exe?: string } | undefined {
  const dir = win32.dirname(shimPath);
  // Node installer's npm.cmd / npx.cmd: the CLI script is named in a SET line.
  const set = /SET\s+"NP[MX]_CLI_JS=([^"\r\n]+)"/i.exec(text);
  if (set) return { script: win32.normalize(expandDir(set[1]!, dir)) };
  // npm cmd-shim: `"%_prog%"  "%dp0%\path\to\cli.js" %*` (or with %~dp0).
  const shim = /"(%~?dp0%?\\[^"\r\n]+?\.(?:c|m)?js)"\s+%\*/i.exec(text);
  if (shim) return { script: win32.normalize(expandDir(shim[1]!, dir)) };
  // A launcher for a native program: `"%~dp0\tool.exe" %*` or `@"C:\...\tool.exe" %*`.
  const exe = /"((?:%~?dp0%?\\)?[^"\r\n]+?\.exe)"\s+%\*/i.exec(text);
  if (exe) return { exe: win32.normalize(expandDir(exe[1]!, dir)) };
  return undefined;
}

/**
 * How to start `file` on Windows without a shell. `.exe`/`.com` run as they are; `.cmd`/`.bat`
 * launchers run their Node script with `node` (the `node.exe` beside the shim, else this Node).
 */
export function windowsSpawnTarget(file: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8'), exists: (p: string) => boolean = existsSync, nodePath = process.execPath): SpawnTarget {
  const ext = win32.extname(file).toLowerCase();
  if (ext !== '.cmd' && ext !== '.bat') return { file, args: [] };
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw new UnsupportedShimError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const parsed = parseCmdShim(text, file);
  if (parsed?.exe) return { file: parsed.exe, args: [] };
  if (parsed?.script) {
    const beside = win32.join(win32.dirname(file), 'node.exe');
    return { file: exists(beside) ? beside : nodePath, args: [parsed.script] };
  }
  throw new UnsupportedShimError(
    `${file} is a batch file slopguard cannot run without cmd.exe (which would re-interpret the arguments); run the tool directly, or set SLOPGUARD_DISABLE=1`,
  );
}
