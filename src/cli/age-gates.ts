/**
 * The native age settings a report command lists (`check`, `scan`): found for the folder checked
 * and the user, attached to the report only when there is something to say.
 */
import type { Report } from '../core/types.js';
import { findNativeAgeSettings } from '../policy/native-age.js';
import { homeOf } from '../policy/config-paths.js';
import type { Io } from './io.js';

/** `report` with `ageGates` for `dir` (and the user), when any setting or problem was found. */
export async function withAgeGates(report: Report, io: Io, dir: string): Promise<Report> {
  const ageGates = await findNativeAgeSettings({ cwd: dir, shownFrom: io.cwd, env: io.env, home: homeOf(io.env), now: io.now?.() ?? new Date() });
  return ageGates ? { ...report, ageGates } : report;
}
