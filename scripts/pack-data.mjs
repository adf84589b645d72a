// `npm pack` / `npm publish` (prepack): the data files are shipped brotli-compressed (data/*.bin.br),
// which keeps the package under its 25 MB budget; src/data/location.ts unpacks them on first use.
// `--clean` (postpack) removes them again so the checkout keeps only the plain files git tracks.
// Plain JS so it runs before any build step.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const DATA = new URL('../data/', import.meta.url).pathname;
const FILES = ['npm-popular.bin', 'pypi-popular.bin', 'pypi-names.bin'];

if (process.argv.includes('--clean')) {
  for (const f of FILES) rmSync(join(DATA, `${f}.br`), { force: true });
} else {
  for (const f of FILES) {
    const raw = readFileSync(join(DATA, f));
    // Quality 9 with a 16 MiB window: within 2 % of quality 11 at a tenth of the time.
    const packed = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    writeFileSync(join(DATA, `${f}.br`), packed);
    process.stderr.write(`pack-data: ${f} ${(raw.length / 1048576).toFixed(1)} MB -> ${(packed.length / 1048576).toFixed(1)} MB\n`);
  }
}
