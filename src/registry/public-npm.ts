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
