/**
 * The user's record of trusted project files, as direnv and mise keep one: an absolute path and
 * the SHA-256 of the content the user looked at when they ran `slopguard trust`. A file whose
 * content changed since is untrusted again. Kept in the user's state folder
 * (`$XDG_STATE_HOME/slopguard/trusted.json`), mode 0600, replaced atomically (a temporary file
 * renamed over it) so a crash or a concurrent run never leaves half a file.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readSettingsFile } from '../core/settings-file.js';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** One trusted file. */
export interface TrustEntry {
  /** SHA-256 (hex) of what was trusted (see {@link trustedContent}). */
  sha256: string;
  /** ISO time of `slopguard trust`. */
  trustedAt: string;
}

/** The store's file: schema version and entries by absolute path. */
export interface TrustStore {
  version: 1;
  files: Record<string, TrustEntry>;
}

/** SHA-256 of a string or bytes, hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The bytes whose hash is trusted. For `.slopguard.json` and `.npmrc`: the whole file. For a
 * package.json: its `slopguard` section as JSON, so adding a dependency does not untrust the
 * policy, while any edit of the section does.
 */
export function trustedContent(path: string, bytes: Buffer): string | Buffer {
  if (!path.endsWith('package.json')) return bytes;
  try {
    const section = (JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown> | null)?.slopguard;
    return `package.json#slopguard:${JSON.stringify(section ?? null)}`;
  } catch {
    // Unparsable: the whole file, so it can match only itself.
    return bytes;
  }
}

/** The hash a file has now, or undefined when it cannot be read. */
export function currentHash(path: string): string | undefined {
  // A project file: never read a FIFO or device in its place (readSettingsFile does not block).
  const got = readSettingsFile(path);
  return got.kind === 'read' ? sha256(trustedContent(path, got.bytes)) : undefined;
}

/** Read the store; a missing store is empty, a corrupt one is an error naming it (never "trusted"). */
export function readTrustStore(file: string): TrustStore {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, files: {} };
    throw new ConfigError(file, '(file)', `cannot read the trust store: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const parsed = JSON.parse(text) as TrustStore;
    if (parsed?.version !== 1 || typeof parsed.files !== 'object' || parsed.files === null) throw new Error('shape');
    const files: Record<string, TrustEntry> = {};
    for (const [path, entry] of Object.entries(parsed.files)) {
      if (typeof entry?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(entry.sha256)) files[path] = { sha256: entry.sha256, trustedAt: String(entry.trustedAt ?? '') };
    }
    return { version: 1, files };
  } catch {
    throw new ConfigError(file, '(file)', 'the trust store is not a slopguard trust store (expected {"version": 1, "files": {...}}); remove it and trust your projects again');
  }
}

/** Write the store atomically with mode 0600 (its folder 0700). */
export function writeTrustStore(file: string, store: TrustStore): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Whether `path` is trusted with the content it has now. */
export function isTrusted(store: TrustStore, path: string, hash: string | undefined): boolean {
  return hash !== undefined && store.files[path]?.sha256 === hash;
}
