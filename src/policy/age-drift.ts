/**
 * What the native age settings add up to: the drift between the tools of one ecosystem, and the
 * strictest relative gate (the one `slopguard serve` uses when no --min-release-age is given).
 */
import type { AgeDrift, AgeTool, NativeAgeSetting } from '../core/age-gates.js';
import { ECOSYSTEMS_OF_AGE } from './age-tools.js';

const DAY_MS = 86_400_000;

/** The minimum age a setting asks for today, in days (an absolute cutoff grows older every day). */
export function effectiveDays(s: NativeAgeSetting, now: Date): number {
  if (s.days !== undefined) return s.days;
  return Math.max(0, (now.getTime() - Date.parse(s.before!)) / DAY_MS);
}

/** Two gates are the same when they agree to the minute. */
const sameGate = (a: number, b: number) => Math.round(a * 1440) === Math.round(b * 1440);

/**
 * Drift per ecosystem: the tools' effective gates differ, or a tool in use has none while another
 * tool of the same ecosystem has one.
 */
export function ageDrift(settings: readonly NativeAgeSetting[], inUse: readonly AgeTool[], now: Date): AgeDrift[] {
  const out: AgeDrift[] = [];
  for (const [ecosystem, tools] of ECOSYSTEMS_OF_AGE) {
    const effective = settings.filter((s) => s.effective && tools.includes(s.tool));
    if (!effective.length) continue;
    const first = effectiveDays(effective[0]!, now);
    if (effective.some((s) => !sameGate(effectiveDays(s, now), first) || (s.days === undefined) !== (effective[0]!.days === undefined))) {
      out.push({ ecosystem, kind: 'different', tools: effective.map((s) => s.tool) });
    }
    const without = inUse.filter((t) => tools.includes(t) && !effective.some((s) => s.tool === t));
    if (without.length) out.push({ ecosystem, kind: 'missing', tools: without });
  }
  return out;
}

/**
 * The strictest relative gate among all settings found, overridden ones included: a project's
 * file may only tighten, so a project `min-release-age=0` does not lower the user's 7 days.
 * Absolute cutoffs (a uv or pip date) are pins for reproducible installs, not ages; the tool
 * still applies its own, so leaving them out of the guard's gate loosens nothing.
 */
export function strictestGate(settings: readonly NativeAgeSetting[]): NativeAgeSetting | undefined {
  let best: NativeAgeSetting | undefined;
  for (const s of settings) if (s.days !== undefined && s.days > 0 && (!best || s.days > best.days!)) best = s;
  return best;
}
