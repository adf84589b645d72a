/**
 * No catastrophic backtracking: every text parser gets adversarial repeated patterns at size n
 * and 8n, and the CPU time may grow at most ~5x faster than the input (a ratio bound of 40 for 8x
 * the input; linear is 8, quadratic 64, exponential never finishes). Generous on purpose so a
 * loaded CI box does not flake; a quadratic or exponential regex blows far past it, and one that
 * never finishes is stopped by the per-input limit and reported.
 *
 * n is chosen per pattern: doubled from 2,000 characters until the small run takes long enough
 * to time (fixed costs and timer noise then do not dominate the ratio), at most 128,000. A ratio
 * over the bound is measured once more, then at 16n: it fails only when doubling the input from
 * 8n to 16n more than triples the time (linear doubles it, quadratic quadruples it).
 *
 * Sized by test/reliability/size.ts: the quick run (`npm test`) gives each target every 12th
 * generic pattern and a slice of each of its format families (every 8th pattern, or fewer slices
 * where the family has fewer targets), a different slice per target, so that every pattern still
 * runs against at least one target; the full run gives every target every pattern.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { tally } from '../reliability/harness.js';
import { sample } from '../reliability/size.js';
import type { LinearAnswer, LinearJob } from './linear-worker.js';
import { TEXT_TARGETS } from './linear-targets.js';

const RATIO_BOUND = 40;
const MIN_CHARS = 2_000;
const MAX_CHARS = 128_000;
/** CPU-time resolution and GC jitter: a small run is counted as at least this long. */
const FLOOR_MS = 3;
/** The small run should take at least this long before its time is trusted. */
const TIMEABLE_MS = 10;
/** One input may take this long before the parser is declared stuck. */
const STUCK_MS = 60_000;
/**
 * A quick run keeps every this-many-th generic pattern (there are more targets than that, so each
 * one still meets some target) and at most this-many-th of a family's (see {@link sample}).
 */
const QUICK_GENERIC_STRIDE = 12;
const QUICK_SHAPED_STRIDE = 8;

/** An adversarial text: `prefix + unit * k + suffix`. */
type Pattern = [prefix: string, unit: string, suffix: string];
const rep = (unit: string): Pattern => ['', unit, ''];

/** Units that defeat common regex and parser shapes, for every target. */
const GENERIC: Pattern[] = [
  'a', ' ', '\n', '\r\n', '\t', '\\', '"', "'", '[', '{', '(', '<', '@', 'a@', '-', '=', '#', ' \\\n', '$(', '${', '/*', 'a:', '- ',
  '\u202e', 'é', '\u0000', 'a.', 'a ;', 'x==1\n', '"a",',
].map(rep);

/** Format-shaped patterns, by family. */
const SHAPED: Record<string, Pattern[]> = {
  json: [rep('"node_modules/a/node_modules/'), rep('{"dependencies":{"a":"'), rep('"a":"npm:b@'), ['{"dependencies":{', '"a":"1",', '}}'], ['{"packages":{', '"node_modules/a":{"version":"1"},', '}}'], ['{"dependencies":{"a":"', 'npm:', '1"}}']],
  yarn: [rep('lodash@^1.0.0:\n  version "1"\n'), rep('"a@b@c@'), rep('  dependencies:\n    '), rep('a@npm:'), ['"', 'a@', '":\n']],
  yaml: [rep('a:\n  '), rep('{a: '), rep('&a '), rep("'"), rep('? '), ['packages:\n', '  /a@1:\n    resolution: {integrity: x}\n', ''], ['packages:\n  /a@1', '(b@2)', ':\n'], ['a: "', '\\\\', '"\n']],
  toml: [rep('[[package]]\nname = "x"\n'), rep('[a.'), rep('x = {a = '), rep('"""'), ['[project]\ndependencies = ["x', '[a,', '"]\n'], ['a = "', '\\\\', '"\n'], ['[tool.poetry.dependencies]\n', 'x = "^1"\n', '']],
  requirements: [rep('-r x.txt\n'), rep('x[a,'), ['x==', '1.', '\n'], ['x @ https://', 'a/', '\n'], ['x; python_version < "3" ', 'and ', '\n'], ['x', ' \\\n', '==1'], ['x --hash=sha256:', 'ab', '\n']],
  shell: [rep('npm install '), rep('pip install '), rep('sudo '), rep('env A=1 '), rep('bash -c "'), rep('npm i a@'), ['npm install ', "'a", "'"], ['pip install "x', '[a,', ']"'], rep('a && '), rep('uv pip install '),
    // What the shell would do (extractors/text/shell-effects.ts): heredocs, pipes into xargs, cd, writes.
    rep('bash <<X\n'), rep('sh -s <<X\nnpm i a\n'), rep('echo a | xargs npm i '), rep('cd a; '), rep('(cd a && '), rep('cat > r <<E\nx\n'), rep('echo x >> r && pip install -r r\n'), rep('RUN pip install -r /dev/stdin <<X\n'), rep('printf a | pip install -r - '), rep("bash -c 'cd a; ")],
  text: [rep('```bash\n'), rep('npm install x\n'), rep('$ pip install '), rep('import x\n'), rep('from x import y\n'), rep("require('"), rep('import("'), rep('+++ b/'), rep('@@ -1 +1 @@\n'), rep('+"a": "1",\n'), ['```\n', 'npm i a ', '\n```']],
};

function familiesOf(target: string): string[] {
  if (target.startsWith('extractor:')) {
    const id = target.slice('extractor:'.length);
    if (/yarn/.test(id)) return ['yarn'];
    if (/pnpm/.test(id)) return ['yaml'];
    if (/requirements/.test(id)) return ['requirements'];
    if (/pyproject|poetry|uv|pipfile$/.test(id)) return ['toml'];
    return ['json'];
  }
  if (target === 'install-command' || target === 'argv') return ['shell'];
  return ['text', 'shell', 'requirements'];
}

/** A child process running one target's parser. */
class Timer {
  readonly #child: ChildProcess;
  readonly #ready: Promise<void>;
  constructor(readonly target: string) {
    this.#child = fork(fileURLToPath(new URL('./linear-worker.js', import.meta.url)), [target], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.#ready = new Promise((resolve, reject) => {
      this.#child.once('message', () => resolve());
      this.#child.once('exit', (code) => reject(new Error(`${target}: timing process exited with ${code}`)));
    });
  }

  /** Best of `reps` runs on `text`, in CPU ms; fails when the parser throws or gets stuck. */
  async time(text: string, reps: number, what: string): Promise<number> {
    await this.#ready;
    const a = await new Promise<LinearAnswer | 'stuck'>((resolve) => {
      const timer = setTimeout(() => resolve('stuck'), STUCK_MS);
      this.#child.once('message', (x: LinearAnswer) => {
        clearTimeout(timer);
        resolve(x);
      });
      this.#child.send({ text, reps } satisfies LinearJob);
    });
    if (a === 'stuck') assert.fail(`${this.target} took over ${STUCK_MS} ms on ${what}`);
    if ('error' in a) assert.fail(`${this.target} threw on ${what}: ${a.error}`);
    return a.ms;
  }

  close(): void {
    this.#child.kill('SIGKILL');
  }
}

const build = ([prefix, unit, suffix]: Pattern, chars: number) => prefix + unit.repeat(Math.max(1, Math.ceil(chars / unit.length))) + suffix;

/** Time `pattern` at n and 8n; returns the ratio and the timings. */
async function measure(timer: Timer, pattern: Pattern): Promise<{ ratio: number; small: number; big: number; n: number }> {
  const what = (n: number) => `${JSON.stringify(pattern)} at ${n} chars`;
  let n = MIN_CHARS;
  await timer.time(build(pattern, n), 2, what(n)); // JIT warm-up
  let small = await timer.time(build(pattern, n), 3, what(n));
  while (small < TIMEABLE_MS && n < MAX_CHARS) {
    n *= 2;
    small = await timer.time(build(pattern, n), 3, what(n));
  }
  const big = await timer.time(build(pattern, 8 * n), 2, what(8 * n));
  return { ratio: big / Math.max(small, FLOOR_MS), small, big, n };
}

const TARGETS = [...EXTRACTORS.filter((e) => !/lockb/.test(e.id)).map((e) => `extractor:${e.id}`), 'install-command', 'argv', ...Object.keys(TEXT_TARGETS)];

/** The patterns `target` (the `index`th) is timed on: see the sizing note at the top. */
function patternsFor(target: string, index: number): Pattern[] {
  const shaped = familiesOf(target).flatMap((family) => {
    const members = TARGETS.filter((t) => familiesOf(t).includes(family));
    return sample(SHAPED[family]!, Math.min(QUICK_SHAPED_STRIDE, members.length), members.indexOf(target));
  });
  return [...sample(GENERIC, QUICK_GENERIC_STRIDE, index), ...shaped];
}

describe('linear time: adversarial repeated patterns at n and 8n', { concurrency: 1 }, () => {
  for (const [index, target] of TARGETS.entries()) {
    it(target, async (t) => {
      const patterns = patternsFor(target, index);
      t.diagnostic(`${patterns.length} patterns`);
      const timer = new Timer(target);
      let worst = { ratio: 0, small: 0, big: 0, n: 0, pattern: GENERIC[0]! };
      try {
        for (const pattern of patterns) {
          tally.hostile += 2;
          let m = await measure(timer, pattern);
          if (m.ratio >= RATIO_BOUND) m = await measure(timer, pattern);
          if (m.ratio > worst.ratio) worst = { ...m, pattern };
          if (m.ratio < RATIO_BOUND) continue;
          // Still over: garbage collection of a heap that grows with the input makes some linear
          // parsers look superlinear between n and 8n. Doubling once more settles it: a linear
          // parser takes ~2x, a quadratic one 4x.
          const what = `${JSON.stringify(pattern)} at ${16 * m.n} chars`;
          const doubled = (await timer.time(build(pattern, 16 * m.n), 2, what)) / Math.max(m.big, FLOOR_MS);
          assert.ok(
            doubled < 3.2,
            `${target}: ${JSON.stringify(pattern)}: ${m.small.toFixed(1)} ms at ${m.n} chars, ${m.big.toFixed(1)} ms at ${8 * m.n} (x${m.ratio.toFixed(1)}; linear is x8), and x${doubled.toFixed(1)} again at ${16 * m.n} (linear is x2)`,
          );
        }
      } finally {
        timer.close();
      }
      t.diagnostic(`worst: ${JSON.stringify(worst.pattern)} ${worst.small.toFixed(1)} ms at ${worst.n} -> ${worst.big.toFixed(1)} ms at ${8 * worst.n} (x${worst.ratio.toFixed(1)})`);
    });
  }
});
