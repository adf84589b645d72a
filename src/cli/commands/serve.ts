import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { escapeForTerminal } from '../../reporters/escape.js';
import { addPolicyOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import type { CommandContext } from '../run.js';

interface ServeFlags extends CommonFlags {
  host?: string;
  port?: string;
  minReleaseAge?: string;
}

/** A whole number from a flag or variable, or a usage error naming it. */
function wholeNumber(value: string, what: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > max) throw new UsageError(`${what}: expected a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The gate when neither --min-release-age, SLOPGUARD_MIN_RELEASE_AGE nor config `minReleaseAgeDays` is given: the strictest of
 * the package managers' own settings for the folder serve starts in and the user, said on stderr.
 * A setting that cannot be read stops the start (exit 2): the guard does not guess a gate lower
 * than the one the user wrote.
 */
async function nativeDefaultGate(io: CommandContext['io']): Promise<number> {
  const [{ findNativeAgeSettings }, { strictestGate }, { homeOf }, { AGE_TEXT }] = await Promise.all([
    import('../../policy/native-age.js'),
    import('../../policy/age-drift.js'),
    import('../../policy/config-paths.js'),
    import('../../reporters/messages.js'),
  ]);
  const found = await findNativeAgeSettings({ cwd: io.cwd, env: io.env, home: homeOf(io.env), now: io.now?.() ?? new Date() });
  if (!found) return 0;
  if (found.problems.length) throw new UsageError(AGE_TEXT.serveProblem(found.problems));
  for (const s of found.settings) if (s.effective && s.before !== undefined) io.stderr.write(`${escapeForTerminal(AGE_TEXT.serveAbsolute(s))}\n`);
  const best = strictestGate(found.settings);
  if (best) io.stderr.write(`${escapeForTerminal(AGE_TEXT.serveDefault(best))}\n`);
  return best?.days ?? 0;
}

export function registerServe(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('serve')
    .summary('a judging npm registry and PyPI index in front of your upstreams: every client and every package passes it')
    .description(
      'Serves /npm/ (an npm registry for npm, pnpm, yarn and bun) and /pypi/simple/ (a PEP 503/691 index for pip, uv ' +
        'and poetry) in front of the registries your .npmrc, pip.conf and SLOPGUARD_* name. Each package is judged as ' +
        '`slopguard check` judges it: bad ones get 403 with the reason, unverifiable ones are served with an ' +
        'x-slopguard warning header (503 with --fail-closed). Transitive dependencies are judged too.',
    )
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on; 0 picks a free one (default 4874)')
    .option('--min-release-age <days>', 'do not serve versions younger than this many days (env SLOPGUARD_MIN_RELEASE_AGE; default: config minReleaseAgeDays, else the strictest of the package managers\' own age settings here and for your user, else 0: off)')
    .addHelpText(
      'after',
      `
Point the clients at it:
  .npmrc      registry=http://127.0.0.1:4874/npm/
  pip.conf    [global]
              index-url = http://127.0.0.1:4874/pypi/simple/
  uv          UV_DEFAULT_INDEX=http://127.0.0.1:4874/pypi/simple/
It writes "slopguard serve: listening on http://HOST:PORT" to stderr when ready, one line per decision
after that, and exits 0 on SIGTERM once the requests in flight are answered.`,
    );
  addPolicyOptions(cmd).action(async (flags: ServeFlags) => {
    const { io } = ctx;
    const port = flags.port === undefined ? undefined : wholeNumber(flags.port, '--port', 65_535);
    const ageText = flags.minReleaseAge ?? io.env.SLOPGUARD_MIN_RELEASE_AGE;
    const settings = settingsFor(flags, io);
    const { AGE_TEXT } = await import('../../reporters/messages.js');
    // The flag, then the variable, then the config key, then the package managers' own settings.
    let minReleaseAgeDays: number;
    if (ageText !== undefined && ageText !== '') minReleaseAgeDays = wholeNumber(ageText, flags.minReleaseAge !== undefined ? '--min-release-age' : 'SLOPGUARD_MIN_RELEASE_AGE', 36_500);
    else if (settings.minReleaseAge) {
      minReleaseAgeDays = settings.minReleaseAge.days;
      io.stderr.write(`${escapeForTerminal(AGE_TEXT.serveConfig(settings.minReleaseAge.days, settings.minReleaseAge.source))}\n`);
    } else minReleaseAgeDays = await nativeDefaultGate(io);
    const floor = settings.minReleaseAgeFloor;
    if (floor && minReleaseAgeDays < floor.days) {
      io.stderr.write(`${escapeForTerminal(AGE_TEXT.serveFloor(minReleaseAgeDays, floor.days, floor.source))}\n`);
      minReleaseAgeDays = floor.days;
    }
    const check = checkOptionsFor(settings, io, { ...flags, progress: false });
    const { startServer } = await import('../../serve/server.js');
    const log = (line: string) => void io.stderr.write(`${line}\n`);
    const auditor = (await import('../../audit/serve.js')).serveAuditor(settings, io, log);
    const server = await startServer({
      onDecision: auditor.onDecision,
      ...(flags.host ? { host: flags.host } : {}),
      ...(port !== undefined ? { port } : {}),
      minReleaseAgeDays,
      check,
      log,
    });
    io.stderr.write(`slopguard serve: listening on ${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await server.close();
    await auditor.flush();
    io.stderr.write('slopguard serve: stopped\n');
    ctx.setExit(0);
  });
}
