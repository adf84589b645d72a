// slopguard as a Bun security scanner (Bun's Security Scanner API, version 1): bun hands it every
// package an install is about to add ({name, version, requestedRange, tarball}) and stops the
// install on a `fatal` advisory. Wire it in bunfig.toml:
//
//   [install.security]
//   scanner = "slopguard/bun-scanner"
//
// The check runs in Node (slopguard's own command, `check --format json --stdin`), not inside
// bun's runtime, so it judges exactly as `slopguard check` does, with the same config, cache and
// registries. Anything that keeps it from answering (no node on PATH, a crash, unreadable output)
// throws, and bun stops the install: an unchecked install is never let through in silence.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./slopguard.js', import.meta.url));

/** Run `slopguard check --format json --stdin` with one spec a line; resolves the parsed report. */
function checkSpecs(specs) {
  return new Promise((resolve, reject) => {
    const node = process.env.SLOPGUARD_NODE || 'node';
    const child = spawn(node, [BIN, 'check', '--format', 'json', '--stdin', '--no-progress'], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.once('error', (e) => reject(new Error(`slopguard could not start Node to check the packages (${e.message}); set SLOPGUARD_NODE to node's path`)));
    child.once('close', (code) => {
      // 0, 1 (something blocked) and 3 (something unverified) all carry a report; 2 is bad input.
      try {
        if (code === 0 || code === 1 || code === 3) return resolve(JSON.parse(out));
      } catch {
        // fall through: no report
      }
      reject(new Error(`slopguard could not check the packages bun is installing (exit ${code}): ${err.trim().slice(0, 500)}`));
    });
    child.stdin.end(`${specs.join('\n')}\n`);
  });
}

/** The Bun Security Scanner, API version 1. */
export const scanner = {
  version: '1',
  async scan({ packages }) {
    // The exact versions bun resolved; a non-registry package (a tarball path, git) is left to bun.
    const specs = packages.filter((p) => p && typeof p.name === 'string' && typeof p.version === 'string' && /^https?:/.test(p.tarball ?? 'https:')).map((p) => `npm:${p.name}@${p.version}`);
    if (specs.length === 0) return [];
    const report = await checkSpecs(specs);
    const advisories = [];
    for (const p of report.packages ?? []) {
      if (p.verdict === 'ok') continue;
      const reasons = (p.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.message).join(' ');
      // A block stops the install; a warning or a package nobody could check is put to the user (bun
      // asks on a terminal and stops in CI). Under --fail-closed an unchecked package is a block.
      const level = p.verdict === 'block' ? 'fatal' : 'warn';
      advisories.push({ level, package: p.name, url: null, description: `slopguard: ${reasons || p.verdict}` });
    }
    return advisories;
  },
};
