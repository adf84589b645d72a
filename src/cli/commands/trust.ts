import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readSettingsFile } from '../../core/settings-file.js';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { findConfigFile, readConfigFile } from '../../policy/config-file.js';
import { homeOf, trustStorePath } from '../../policy/config-paths.js';
import { DEFAULT_POLICY } from '../../policy/defaults.js';
import { tightenOnly } from '../../policy/tightness.js';
import { currentHash, readTrustStore, sha256, trustedContent, writeTrustStore } from '../../policy/trust-store.js';
import { projectDir } from '../../registry/npmrc.js';
import { escapeForTerminal as esc } from '../../reporters/escape.js';
import type { CommandContext } from '../run.js';

/**
 * `slopguard trust [dir]`, `--list`, `--revoke [dir]`: the user's record of project files they
 * reviewed (see policy/trust-store.ts). A project's `.slopguard.json` / package.json#slopguard
 * applies in full only once trusted, and its `.npmrc` may then use `${VAR}`; any later edit of a
 * trusted file makes it untrusted again.
 */

interface TrustFlags {
  list?: boolean;
  revoke?: boolean;
}

/** The project files `slopguard trust` records for a folder: its slopguard config and its `.npmrc`. */
function projectFiles(dir: string, home: string): string[] {
  const files: string[] = [];
  const config = findConfigFile(dir, home);
  if (config) files.push(config);
  const npmrc = join(projectDir(dir), '.npmrc');
  if (existsSync(npmrc) && npmrc !== join(home, '.npmrc')) files.push(npmrc);
  return files;
}

export function registerTrust(program: Command, ctx: CommandContext): void {
  program
    .command('trust')
    .summary("trust a project's own slopguard config (and .npmrc) after reviewing it")
    .description(
      "A project's .slopguard.json or package.json \"slopguard\" section is untrusted until you trust it: until then it can " +
        'only tighten the policy (allow entries, lower severities and looser thresholds are ignored, and said so), and ' +
        "${VAR} in its .npmrc is not expanded. `slopguard trust` records the SHA-256 of what you reviewed; an edit makes " +
        'the file untrusted again.',
    )
    .argument('[dir]', 'the project folder (default: .)')
    .option('--list', 'list trusted files and whether each still has the trusted content')
    .option('--revoke', 'forget the trusted files of the folder (or the file named)')
    .addHelpText(
      'after',
      `
Examples:
  slopguard trust                    trust ./.slopguard.json (or package.json "slopguard") and ./.npmrc
  slopguard trust ~/src/app          trust another project
  slopguard trust --list             what is trusted; "changed" means edited since, so untrusted
  slopguard trust --revoke           untrust this project again
  slopguard ci --trust-project       CI on the default branch: trust the checked-out config for this run

The record is $XDG_STATE_HOME/slopguard/trusted.json (default ~/.local/state/slopguard/trusted.json), mode 0600.
Pull requests need no trust: ci --base, diff --git and the pre-commit hook use the base revision's config.`,
    )
    .action((dir: string | undefined, flags: TrustFlags) => {
      const { io } = ctx;
      const storePath = trustStorePath(io.env);
      const home = homeOf(io.env);
      if (flags.list && flags.revoke) throw new UsageError('choose one of --list and --revoke');
      const store = readTrustStore(storePath);

      if (flags.list) {
        if (dir !== undefined) throw new UsageError('--list takes no folder');
        const paths = Object.keys(store.files).sort();
        if (!paths.length) io.stdout.write('nothing is trusted\n');
        for (const path of paths) {
          const entry = store.files[path]!;
          const now = currentHash(path);
          const state = now === undefined ? 'missing' : now === entry.sha256 ? 'trusted' : 'changed';
          io.stdout.write(`${state.padEnd(8)} ${entry.trustedAt.slice(0, 10)}  ${esc(path)}\n`);
        }
        return;
      }

      const target = resolve(io.cwd, dir ?? '.');
      if (flags.revoke) {
        // A folder's files, or a file named directly, or anything recorded under the folder (files since deleted).
        const named = new Set([...projectFiles(target, home), target]);
        const gone = Object.keys(store.files).filter((p) => named.has(p) || p.startsWith(`${target}/`));
        if (!gone.length) throw new UsageError(`nothing trusted for ${target}`);
        for (const p of gone) delete store.files[p];
        writeTrustStore(storePath, store);
        for (const p of gone) io.stdout.write(`untrusted ${esc(p)}\n`);
        return;
      }

      const files = projectFiles(target, home);
      if (!files.length) throw new UsageError(`no .slopguard.json, package.json "slopguard" or .npmrc found for ${target} (searched up to the repository root)`);
      const at = (io.now?.() ?? new Date()).toISOString();
      for (const file of files) {
        let loosens: string[] = [];
        let hash: string;
        if (file.endsWith('.npmrc')) {
          const got = readSettingsFile(file);
          if (got.kind !== 'read') throw new UsageError(`${file}: cannot read: ${got.kind === 'missing' ? 'missing' : got.reason === 'not-regular' ? 'not a regular file' : got.reason}`);
          hash = sha256(trustedContent(file, got.bytes));
        }
        else {
          // A config that does not validate is not trusted (exit 2): it could not apply anyway.
          const loaded = readConfigFile(file, io.cwd);
          hash = loaded.hash;
          loosens = tightenOnly(loaded.config, DEFAULT_POLICY).ignored;
        }
        store.files[file] = { sha256: hash, trustedAt: at };
        io.stdout.write(`trusted ${esc(file)}${loosens.length ? ` (it loosens: ${esc(loosens.join('; '))})` : ''}\n`);
      }
      writeTrustStore(storePath, store);
    });
}
