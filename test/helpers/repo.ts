import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder with these files; `.git` (an empty folder) makes it a repository. */
export function repo(files: Record<string, string>, git = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-first-party-'));
  if (git) mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
