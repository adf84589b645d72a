import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A throwaway git repository for `slopguard ci` tests: write files, commit, read nothing global. */
export interface TestRepo {
  dir: string;
  write(files: Record<string, string>): void;
  commit(message: string): void;
  git(...args: string[]): string;
}

/** `git` with no user or system config, so the developer's hooks and settings never leak in. */
export function createRepo(dir: string): TestRepo {
  mkdirSync(dir, { recursive: true });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z' };
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  git('init', '-q');
  return {
    dir,
    git,
    write(files) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
    },
  };
}

/** A package.json with these dependencies, one per line (so tests can point at lines). */
export function packageJson(name: string, deps: Record<string, string>): string {
  return `${JSON.stringify({ name, version: '1.0.0', dependencies: deps }, null, 2)}\n`;
}
