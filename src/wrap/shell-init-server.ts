/**
 * `slopguard shell-init <shell> --server URL`: instead of wrapper functions, variables that point
 * npm, pnpm, yarn, bun, pip and uv at a running `slopguard serve` (a team's guard, or one on this
 * machine), so every package those clients fetch, transitive ones included, is judged there.
 * The variables are serve/client-env.ts's, the same the wrappers' ephemeral guard sets.
 *
 * The URL is the guard's base, as for `check --server` / SLOPGUARD_SERVER: `/npm/` and
 * `/pypi/simple/` are added to it. Only http and https, no credentials (they would sit in every
 * child process's environment and in shell history), no query or fragment.
 */
import { UsageError } from '../core/errors.js';
import { CLIENT_ENV, type GuardAddress } from '../serve/client-env.js';
import type { Shell } from './shell-init.js';

/** The guard's base URL, checked, with a trailing slash (`https://guard.corp/` or `http://h:4874/prefix/`). */
export function guardBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`--server: expected the URL of a running slopguard serve, such as http://127.0.0.1:4874, got ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server: expected an http:// or https:// URL, got ${url.protocol.replace(/:$/, '')}://`);
  if (url.username || url.password) throw new UsageError('--server: the URL must not carry a user name or password (they would be exported to every process of the shell); the guard sends the upstream credentials itself');
  if (url.search || url.hash) throw new UsageError('--server: the URL must not have a query or fragment: give the guard\'s base URL, such as http://127.0.0.1:4874');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The guard's two fronts under a base URL. */
export function guardAddress(base: URL): GuardAddress {
  return { npmRegistry: new URL('npm/', base).href, pypiIndexUrl: new URL('pypi/simple/', base).href, host: base.hostname };
}

/** Quote a value for each shell (single quotes: nothing inside is expanded). */
const QUOTE: Record<Shell, (v: string) => string> = {
  bash: (v) => `'${v.replace(/'/g, `'\\''`)}'`,
  zsh: (v) => `'${v.replace(/'/g, `'\\''`)}'`,
  fish: (v) => `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`,
  powershell: (v) => `'${v.replace(/'/g, "''")}'`,
};

/** The lines that set the variables for `shell`, then a function that removes them. */
export function shellInitServerScript(shell: Shell, base: URL): string {
  const g = guardAddress(base);
  const http = base.protocol === 'http:';
  const vars = CLIENT_ENV.filter((v) => !v.httpOnly || http).map((v) => ({ name: v.name, value: v.value(g) }));
  const q = QUOTE[shell];
  const names = vars.map((v) => v.name);
  const shown = base.href;
  const head = (enable: string, undo: string) =>
    `# slopguard shell integration (${shell}): npm, pnpm, yarn, bun, pip and uv install through the slopguard guard at ${shown}\n` +
    `# Enable:  ${enable}\n# Undo:  ${undo} (unsets the variables; values set before are not restored)\n`;
  switch (shell) {
    case 'bash':
    case 'zsh': {
      const lines = vars.map((v) => (v.value === 'clear' ? `unset ${v.name}` : `export ${v.name}=${q(v.value)}`));
      return `${head(`eval "$(slopguard shell-init ${shell} --server ${shown})"`, 'slopguard_off')}${lines.join('\n')}\nslopguard_off() {\n  unset ${names.join(' ')}\n  unset -f slopguard_off\n}\n`;
    }
    case 'fish': {
      const lines = vars.map((v) => (v.value === 'clear' ? `set -e ${v.name}` : `set -gx ${v.name} ${q(v.value)}`));
      // One `set -e` per name: older fish erases only one variable per call.
      return `${head(`slopguard shell-init fish --server ${shown} | source`, 'slopguard_off')}${lines.join('\n')}\nfunction slopguard_off\n${names.map((n) => `    set -e ${n}`).join('\n')}\n    functions --erase slopguard_off\nend\n`;
    }
    case 'powershell': {
      const lines = vars.map((v) => (v.value === 'clear' ? `Remove-Item -Path Env:${v.name} -ErrorAction SilentlyContinue` : `$env:${v.name} = ${q(v.value)}`));
      return `${head(`slopguard shell-init powershell --server ${shown} | Out-String | Invoke-Expression`, 'Disable-Slopguard')}${lines.join('\n')}\nfunction global:Disable-Slopguard {\n  foreach ($name in @(${names.map((n) => `'${n}'`).join(', ')})) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue }\n  Remove-Item -Path Function:\\Disable-Slopguard -ErrorAction SilentlyContinue\n}\n`;
    }
  }
}

/** How long the reachability check may take: shell start-up must not hang on a guard that is down. */
export const HEALTH_TIMEOUT_MS = 1500;

/**
 * Whether the guard answers `GET /healthz` with `{"status":"ok"}`: undefined when it does, else
 * why not (worded for a warning; the variables are printed either way, the guard may come up later).
 */
export async function guardHealthProblem(base: URL, fetchImpl: typeof fetch = fetch, timeoutMs = HEALTH_TIMEOUT_MS): Promise<string | undefined> {
  try {
    const res = await fetchImpl(new URL('healthz', base), { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (res.status !== 200) return `it answered HTTP ${res.status}`;
    const body = (await res.text()).slice(0, 1000);
    return /"status"\s*:\s*"ok"/.test(body) ? undefined : 'it answered, but not as a slopguard guard does';
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause.
    return err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message;
  }
}
