import type { SignalFn } from '../core/types.js';
import { ageInDays } from './age.js';

/**
 * Install scripts run code at install time, which is how squats attack. Popular, established
 * packages with scripts (esbuild, sharp) are common and fine, so only young or little-used ones
 * are reported.
 */
export const installScript: SignalFn = ({ facts, now, policy }) => {
  if (facts.status !== 'found' || !facts.installScripts?.length) return [];
  const t = policy.thresholds;
  const ageDays = ageInDays(facts.created, now);
  // No date is "maybe young", except from npm's abbreviated document, which is only asked for
  // names the popular list shows long-established (core/check.ts).
  const young = ageDays === undefined ? !facts.abbreviated : ageDays < t.installScriptMaxAgeDays;
  const unpopular = facts.weeklyDownloads !== undefined && facts.weeklyDownloads < t.installScriptMinWeeklyDownloads;
  if (!young && !unpopular) return [];
  return [
    {
      code: 'install-script',
      evidence: { scripts: facts.installScripts.join(', '), ageDays: ageDays ?? null, weeklyDownloads: facts.weeklyDownloads ?? null },
    },
  ];
};
