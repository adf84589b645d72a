/**
 * What a shared cache URL may look like (`--cache-url`, SLOPGUARD_CACHE_URL, config `cacheUrl`).
 * Its own small module: settings validate the URL on every run without loading the cache code.
 */

/** The problem with a shared cache URL, or undefined when `redis://HOST:PORT[/DB]` (or `rediss://`) can use it. */
export function cacheUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'expected a URL such as redis://127.0.0.1:6379/0';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `expected redis://HOST:PORT[/DB] or rediss://..., got the scheme ${JSON.stringify(u.protocol)}`;
  if (!u.hostname) return 'expected a host: redis://HOST:PORT[/DB]';
  if (u.pathname && u.pathname !== '/' && !/^\/\d{1,2}$/.test(u.pathname)) return 'expected a database number after the host, as in redis://HOST:PORT/0';
  if (u.search || u.hash) return 'expected no query or fragment: redis://HOST:PORT[/DB]';
  return undefined;
}
