/**
 * Repository URLs from registry metadata, as people open them: npm's `repository` (a string like
 * `user/repo`, `github:u/r`, `git+https://…git`, or `{ type, url, directory }`) and PyPI's
 * `project_urls` / `home_page`.
 */
import { lazyRequire } from '../core/lazy-require.js';
import type HostedGitInfo from 'hosted-git-info';

// Loaded when a registry answer is read, not when the resolver is imported (warm runs never need it).
const hostedGitInfo = lazyRequire<typeof HostedGitInfo>('hosted-git-info');

/** The browse URL of an npm `repository` field, or undefined when it names none. */
export function npmRepositoryUrl(field: unknown): string | undefined {
  const raw = typeof field === 'string' ? field : field && typeof field === 'object' ? (field as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const text = raw.trim();
  try {
    const hosted = hostedGitInfo().fromUrl(text);
    if (hosted) return hosted.browse();
  } catch {
    // hosted-git-info throws on some malformed URLs; fall through to the plain form.
  }
  // Self-hosted git: drop the `git+` transport prefix and the `.git` suffix people do not browse.
  const plain = text.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^(https?|git|ssh):\/\//.test(plain) ? plain : undefined;
}

/** Keys of PyPI `project_urls` that name the source repository, most specific first (lower-cased). */
const SOURCE_KEYS = ['source', 'source code', 'sourcecode', 'repository', 'code', 'github', 'gitlab', 'git', 'source repository'];
const CODE_HOSTS = /^https?:\/\/(www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|sr\.ht|git\.sr\.ht)\//i;

/** The repository URL of a PyPI project, from `project_urls` then `home_page`. */
export function pypiRepositoryUrl(projectUrls: unknown, homePage: unknown): string | undefined {
  const urls: Array<[string, string]> = [];
  if (projectUrls && typeof projectUrls === 'object') {
    for (const [k, v] of Object.entries(projectUrls as Record<string, unknown>)) if (typeof v === 'string' && /^https?:\/\//i.test(v)) urls.push([k.trim().toLowerCase(), v.trim()]);
  }
  for (const key of SOURCE_KEYS) {
    const hit = urls.find(([k]) => k === key);
    if (hit) return hit[1];
  }
  const onHost = urls.find(([, v]) => CODE_HOSTS.test(v));
  if (onHost) return onHost[1];
  if (typeof homePage === 'string' && CODE_HOSTS.test(homePage.trim())) return homePage.trim();
  return undefined;
}
