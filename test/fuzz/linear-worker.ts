/**
 * Child process for the linear-time checks (linear.fuzz.ts): runs one text parser (named by its
 * first argument) on the texts it is sent and answers with the best of a few timings.
 *
 * A process of its own, so that a parser stuck in catastrophic backtracking can be killed
 * instead of hanging the suite, and so that its CPU time (process.cpuUsage) is its parser's
 * alone: wall time on a loaded CI box measures the neighbours, CPU time measures the work.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EXTRACTORS } from '../../src/extractors/index.js';
import { findInstallCommands, parseCommandLine } from '../../src/extractors/text/install-command.js';
import { pathFor } from './arbitraries.js';

/** What the worker is asked to time. */
export interface LinearJob {
  text: string;
  reps: number;
}

/** Its answer: the fastest run, or what was thrown. */
export type LinearAnswer = { ms: number } | { error: string };

/** Sent once when the parser is loaded. */
export interface LinearReady {
  ready: true;
}

/** The parser behind a target name: `extractor:<id>`, `install-command`, `argv`. */
async function parserFor(target: string): Promise<(text: string) => unknown> {
  if (target.startsWith('extractor:')) {
    const ex = EXTRACTORS.find((e) => `extractor:${e.id}` === target);
    if (!ex) throw new Error(`no extractor ${target}`);
    const path = pathFor(ex);
    return (text) => ex.extract({ path, text });
  }
  if (target === 'install-command') return (text) => findInstallCommands(text, { file: 'x.sh' });
  if (target === 'argv') return (text) => parseCommandLine(['npm', 'install', ...text.split(' ')]);
  const text = await import('./linear-targets.js');
  const fn = text.TEXT_TARGETS[target];
  if (!fn) throw new Error(`unknown target ${target}`);
  return fn;
}

// A collection before each timed run, so garbage from the previous input is not billed to this one.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const parse = await parserFor(String(process.argv[2]));
process.on('message', (job: LinearJob) => {
  let best = Infinity;
  try {
    for (let i = 0; i < job.reps; i++) {
      gc();
      const start = cpuMs();
      parse(job.text);
      best = Math.min(best, cpuMs() - start);
    }
    process.send!({ ms: best } satisfies LinearAnswer);
  } catch (e) {
    process.send!({ error: String((e as Error)?.stack ?? e) } satisfies LinearAnswer);
  }
});
process.send!({ ready: true });
