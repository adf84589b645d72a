/**
 * Credential redaction for every string that leaves the registry layer (error messages,
 * `facts.registry`, cache keys). Users paste slopguard output into issues and CI logs; a token
 * in an error message is a leaked token.
 */

/** Replacement for anything secret. */
export const REDACTED = '***';

// Each pattern is linear: one character class repeated, anchored by a literal prefix.
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]+/g;
const NPMRC_AUTH = /(:_authToken|:_auth|:_password|_authToken|_auth|_password)(\s*=\s*|"?\s*:\s*"?)[^\s",}]+/g;
const NPM_TOKEN = /\bnpm_[A-Za-z0-9]{20,}\b/g;
const QUERY_SECRET = /([?&](?:token|access_token|auth|key|password)=)[^&\s#]+/gi;

/**
 * Remove credentials from `text`: every value in `secrets`, URL user-info
 * (`https://user:pass@host` -> `https://***@host`), `Bearer`/`Basic` header values, npmrc auth
 * assignments, npm token shapes and secret-looking query parameters.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  const list = [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(REDACTED);
  return out
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(NPMRC_AUTH, `$1$2${REDACTED}`)
    .replace(NPM_TOKEN, REDACTED)
    .replace(QUERY_SECRET, `$1${REDACTED}`);
}

/** A URL without user-info, for display and cache keys (`https://u:p@h/x` -> `https://h/x`). */
export function stripUserinfo(url: string): string {
  // A run asks this for the same few registry URLs once per cache read: parse each once.
  let out = stripped.get(url);
  if (out === undefined) {
    if (stripped.size >= 64) stripped.clear();
    stripped.set(url, (out = stripOnce(url)));
  }
  return out;
}

const stripped = new Map<string, string>();

function stripOnce(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return redact(url);
  }
}

/** The secrets that may appear in requests made with these settings: auth values and URL passwords. */
export function secretsOf(npmrc: Record<string, string>, urls: ReadonlyArray<string | undefined>): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(npmrc)) {
    if (!v) continue;
    if (/(?:^|:)(_authToken|_auth|_password|password|token)$/i.test(k)) {
      out.add(v);
      // `_password` is stored base64; `_auth` is base64 of user:pass. Both forms may be echoed.
      if (/_password$|_auth$/.test(k)) {
        const plain = Buffer.from(v, 'base64').toString('utf8');
        if (/^[\x20-\x7e]+$/.test(plain)) {
          out.add(plain);
          const pass = plain.includes(':') ? plain.slice(plain.indexOf(':') + 1) : undefined;
          if (pass) out.add(pass);
        }
      }
    }
  }
  for (const url of urls) {
    if (!url) continue;
    try {
      const u = new URL(url);
      const secret = u.password || u.username;
      if (secret) out.add(secret).add(safeDecode(secret));
    } catch {
      // Not a URL: nothing to collect.
    }
  }
  return [...out];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
