/**
 * A small data directory built from invented popularity numbers, with the real builder, so engine
 * and signal tests do not depend on the bundled snapshot's numbers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataLists, writeData } from '../../src/data/lists.js';

const M = 1_000_000;

/** npm names and weekly downloads (made up, in plausible proportions). */
export const NPM_FIXTURE: Record<string, number> = {
  react: 80 * M,
  preact: 10 * M,
  lodash: 50 * M,
  express: 30 * M,
  chalk: 300 * M,
  chai: 40 * M,
  ws: 150 * M,
  ms: 300 * M,
  'cross-env': 10 * M,
  webpack: 30 * M,
  swiper: 2 * M,
  moment: 20 * M,
  'string-width': 100 * M,
  'parse-json': 40 * M,
  'node-fetch': 60 * M,
  axios: 60 * M,
  typescript: 100 * M,
  'bignumber.js': 30 * M,
  jquery: 10 * M,
  'modern-normalize': 2 * M,
  'tiny-widget': 300,
  'tiny-widgets': 250,
  'lonely-pkg': 150,
  '@types/node': 240 * M,
  '@types/react': 50 * M,
  '@babel/core': 50 * M,
  '@babel/code-frame': 60 * M,
  '@acme/widget-kit': 40_000,
  '@acmes/widget-kit': 30_000,
  '@acme/core': 90_000,
  '@other/core': 80_000,
  '@third/core': 70_000,
  // A scope family: five popular `gizmo-*` packages in one scope and no unscoped one.
  '@acme/gizmo-alpha': 5_000,
  '@acme/gizmo-beta': 4_000,
  '@acme/gizmo-gamma': 3_000,
  '@acme/gizmo-delta': 2_000,
  '@acme/gizmo-epsilon': 1_000,
  // The smallest family (FAMILY_MIN_MEMBERS) next to a word one member short of it.
  '@acme/doohick-alpha': 900,
  '@acme/doohick-beta': 800,
  '@acme/doohick-gamma': 700,
  '@acme/doohick-delta': 600,
  '@acme/thingam-alpha': 900,
  '@acme/thingam-beta': 800,
  '@acme/thingam-gamma': 700,
  // A family whose members name services (`gear-<service>`): `sprocket` and `flywheel` are used
  // by no popular name outside the scope (`@zeta/sprocket-core` is the scope's own); `widget` is.
  '@zeta/gear-one': 900,
  '@zeta/gear-two': 800,
  '@zeta/gear-sprocket': 700,
  '@zeta/gear-flywheel': 600,
  '@zeta/gear-widget': 500,
  '@zeta/sprocket-core': 400,
  // Not a family: as many `gadget-*` in one scope, but the word is also used unscoped.
  '@other/gadget-alpha': 5_000,
  '@other/gadget-beta': 4_000,
  '@other/gadget-gamma': 3_000,
  '@other/gadget-delta': 2_000,
  '@other/gadget-epsilon': 1_000,
  'gadget-box': 3_000,
};

/** PyPI names and ranks. */
export const PYPI_RANKED: Record<string, number> = {
  boto3: 1,
  requests: 6,
  pyyaml: 15,
  numpy: 20,
  'python-dateutil': 13,
  django: 528,
  boto: 1538,
  pyaml: 1603,
  'beautifulsoup4': 40,
  beautifulsoup: 9000,
  'small-thing': 14000,
  // A plugin host: a popular name that many popular names extend (`hostkit-<word>`).
  hostkit: 100,
  ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`hostkit-plug${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`, 5000 + i])),
};

/** PyPI names without a rank (the complete list has these too). */
export const PYPI_UNRANKED = ['left-pad', 'zzz-unranked', 'aaa-first', 'express'];

/** Build the fixture data directory once per process and return its path. */
let built: string | undefined;
export function fixtureDataDir(): string {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'slopguard-sim-'));
  const lists: DataLists = {
    snapshotDate: '2026-11-25',
    npm: Object.entries(NPM_FIXTURE).map(([name, weekly]) => ({ name, weekly })),
    pypiRanked: Object.entries(PYPI_RANKED).map(([name, rank]) => ({ name, rank })),
    pypiAll: [...Object.keys(PYPI_RANKED), ...PYPI_UNRANKED],
    npmSource: 'test fixture',
    pypiSource: 'test fixture',
  };
  writeData(lists, dir);
  return (built = dir);
}
