import { DEFAULT_NPM_DOWNLOADS_API } from './npmrc.js';

/**
 * Registries that serve the public npm namespace: what they serve obeys npm's own publishing rules
 * (the typo signal relies on its punctuation rule, src/signals/typo.ts).
 */
export const PUBLIC_NPM_HOSTS: ReadonlySet<string> = new Set(['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com']);

/** Whether a registry base URL is the public npm registry (or its yarn alias). */
export function isPublicNpmRegistry(url: string): boolean {
  try {
    return PUBLIC_NPM_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * With a private default npm registry (a company mirror) and the public downloads API, a name the
 * bundled public list does not know (`listed` false) may be a private package: asking
 * api.npmjs.org about it would tell the world the name. The CLI's resolver and the registry guard
 * both ask this before a downloads request; the count then stays unknown (never 0).
 */
export function downloadsWouldLeak(settings: { npmRegistry: string; npmDownloadsApi: string }, listed: () => boolean): boolean {
  if (settings.npmDownloadsApi.replace(/\/+$/, '') !== DEFAULT_NPM_DOWNLOADS_API) return false;
  if (isPublicNpmRegistry(settings.npmRegistry)) return false;
  return !listed();
}
