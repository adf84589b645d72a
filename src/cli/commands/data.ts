import { Command } from 'commander';
import { InputError, UsageError } from '../../core/errors.js';
import { DATA_STALE_DAYS } from '../../policy/defaults.js';
import { escapeForTerminal as esc } from '../../reporters/escape.js';
import type { CommandContext } from '../run.js';

/**
 * `slopguard data status|update`: the popular-name lists an installed slopguard judges look-alikes
 * and offline existence by (see src/data/). A stale list is how peers flagged new popular
 * packages as typos of old ones, so its age is shown and a newer one can be fetched per user.
 */

const DAY = 86_400_000;

export function registerData(program: Command, ctx: CommandContext): void {
  const data = program
    .command('data')
    .summary('the popular-name lists: where they are, how old, and updating them')
    .description('Show or update the lists of popular npm and PyPI names (and every PyPI project name) slopguard judges by.')
    .addHelpText(
      'after',
      `
Examples:
  slopguard data status                 where the lists are read from, their date and age
  slopguard data status --format json
  slopguard data update                 newer lists from the registries' public APIs (slow: ~30 min)
  slopguard data update --from DIR      from a snapshot folder (npm-packages.tsv, pypi-projects.tsv)

Updated lists are kept per user (~/.local/share/slopguard/data) and used while they are newer than
the lists slopguard was installed with. Lists older than ${DATA_STALE_DAYS} days earn a warning on every run.`,
    );

  data
    .command('status')
    .summary('where the lists are read from, their date, age and sources')
    .option('-f, --format <format>', 'text or json', 'text')
    .action(async (flags: { format: string }) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format: expected text or json, got ${JSON.stringify(flags.format)}`);
      const { locateData, userDataDir } = await import('../../data/location.js');
      const { dataInfo } = await import('../../similarity/index.js');
      const { io } = ctx;
      const loc = locateData(io.env);
      const info = dataInfo({ dataDir: loc.dir });
      const now = io.now?.() ?? new Date();
      const age = (day: string) => Math.max(0, Math.floor((now.getTime() - Date.parse(day)) / DAY));
      const ages = { npm: age(info.npm.snapshotDate), pypi: age(info.pypi.snapshotDate) };
      const stale = Math.max(ages.npm, ages.pypi) > DATA_STALE_DAYS;
      if (flags.format === 'json') {
        io.stdout.write(`${JSON.stringify({ dir: loc.dir, origin: loc.origin, userDir: userDataDir(io.env), stale, staleAfterDays: DATA_STALE_DAYS, npm: { ...info.npm, ageDays: ages.npm }, pypi: { ...info.pypi, ageDays: ages.pypi } }, null, 2)}\n`);
        return;
      }
      const from = { env: 'the lists SLOPGUARD_DATA_DIR names', user: 'your copy from `slopguard data update`', bundled: 'the lists slopguard was installed with' }[loc.origin];
      const lines = [
        `data: ${esc(loc.dir)} (${from})`,
        `npm:  ${info.npm.snapshotDate}, ${ages.npm} days old, ${info.npm.count.toLocaleString('en-US')} popular names`,
        `pypi: ${info.pypi.snapshotDate}, ${ages.pypi} days old, ${info.pypi.count.toLocaleString('en-US')} project names (${(info.pypi.ranked ?? 0).toLocaleString('en-US')} ranked)`,
      ];
      if (info.npm.source) lines.push(`npm source:  ${esc(info.npm.source)}`);
      if (info.pypi.source) lines.push(`pypi source: ${esc(info.pypi.source)}`);
      lines.push(stale ? `stale: older than ${DATA_STALE_DAYS} days; run \`slopguard data update\`` : `fresh: newer than ${DATA_STALE_DAYS} days`);
      io.stdout.write(`${lines.join('\n')}\n`);
    });

  data
    .command('update')
    .summary('fetch newer lists, verify them, and keep them for this user')
    .option('--from <dir>', 'a snapshot folder (README.md "taken on YYYY-MM-DD", npm-packages.tsv, pypi-projects.tsv) instead of the public APIs')
    .addHelpText(
      'after',
      `
Public sources (each overridable like the rest of slopguard's endpoints): the npm registry
(SLOPGUARD_NPM_REGISTRY) for npm-high-impact's names, the npm downloads API
(SLOPGUARD_NPM_DOWNLOADS_API), PyPI's Simple API (SLOPGUARD_PYPI_URL) and top-pypi-packages
(SLOPGUARD_TOP_PYPI_URL). The new lists are verified (they load, know the most popular names of the
lists in use, hold at least half as many names, are not older) before they replace anything.

Exit codes: 0 updated; 1 the new lists failed verification (nothing replaced); 2 bad usage or a source
that could not be read.`,
    )
    .action(async (flags: { from?: string }) => {
      const { io } = ctx;
      const { installLists, DataVerifyError } = await import('../../data/update.js');
      const log = (line: string) => io.stderr.write(`slopguard data: ${esc(line)}\n`);
      let lists;
      try {
        if (flags.from !== undefined) {
          const { readSnapshotDir } = await import('../../data/lists.js');
          const { resolve } = await import('node:path');
          lists = readSnapshotDir(resolve(io.cwd, flags.from));
        } else {
          const { fetchPublicLists, publicSources } = await import('../../data/public-sources.js');
          lists = await fetchPublicLists(publicSources(io.env), { fetch, now: io.now?.() ?? new Date(), log });
        }
      } catch (e) {
        throw new InputError(flags.from ?? 'public sources', `cannot read the new lists: ${(e as Error).message}`);
      }
      try {
        const r = installLists(lists, io.env);
        io.stdout.write(
          `slopguard data: updated ${esc(r.dir)}: npm ${r.before?.npm.snapshotDate ?? '-'} -> ${r.after.npm.snapshotDate} (${r.after.npm.count.toLocaleString('en-US')} names), ` +
            `pypi ${r.before?.pypi.snapshotDate ?? '-'} -> ${r.after.pypi.snapshotDate} (${r.after.pypi.count.toLocaleString('en-US')} names)\n`,
        );
      } catch (e) {
        if (e instanceof DataVerifyError) {
          io.stderr.write(`slopguard data: not updated: ${esc(e.message)}\n`);
          ctx.setExit(1);
          return;
        }
        throw e;
      }
    });
}
