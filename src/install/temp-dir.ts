/**
 * The resolvers' temporary folders: made fresh for one resolution, removed after it, and removed
 * on exit too when slopguard ends while one is in use (a hook that answered and exited).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const inUse = new Set<string>();
let exitHook = false;

/**
 * Run `body` in a new folder under `base` (default: the OS temp folder). A folder that cannot be
 * made, or anything `body` throws, goes to `fallback`: the resolvers answer, they do not throw.
 */
export async function withTempDir<T>(base: string | undefined, fallback: (e: unknown) => T, body: (dir: string) => Promise<T>): Promise<T> {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of inUse) rmSync(d, { recursive: true, force: true });
    });
  }
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(base ?? tmpdir(), 'slopguard-tree-'));
    inUse.add(dir);
    return await body(dir);
  } catch (e) {
    return fallback(e);
  } finally {
    if (dir) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      inUse.delete(dir);
    }
  }
}
