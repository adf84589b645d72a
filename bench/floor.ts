/**
 * The floor of a cold check (issue #19): a minimal Node script that does only the work slopguard
 * cannot avoid, fetching and parsing the same documents slopguard asked for, 64 in flight, with
 * Node's built-in fetch. Anything slopguard spends above this is its own overhead (start-up,
 * HTTP client, facts, signals, cache, report).
 *
 *   node dist/bench/floor.js <registry-url> <requests.json> [--concurrency 64]
 *
 * requests.json is `[{ "path": "/express", "accept": "..." }, ...]`, the registry's log of a
 * slopguard run. Prints `{ "documents": N, "bytes": B, "failed": F }`.
 */
import { readFileSync } from 'node:fs';

/** One request to replay: the path as sent and its Accept header (abbreviated or full packument). */
export interface FloorRequest {
  path: string;
  accept?: string;
}

async function main(): Promise<void> {
  const [base, file] = process.argv.slice(2);
  if (!base || !file) throw new Error('usage: floor.js <registry-url> <requests.json> [--concurrency N]');
  const ci = process.argv.indexOf('--concurrency');
  const concurrency = ci > 0 ? Number(process.argv[ci + 1]) : 64;
  const requests = JSON.parse(readFileSync(file, 'utf8')) as FloorRequest[];
  let next = 0;
  let bytes = 0;
  let failed = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      try {
        const res = await fetch(base + r.path, { headers: r.accept ? { accept: r.accept } : {} });
        const text = await res.text();
        bytes += text.length;
        JSON.parse(text);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  process.stdout.write(`${JSON.stringify({ documents: requests.length, bytes, failed })}\n`);
}

await main();
