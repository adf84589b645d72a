import { ageInDays } from './age.js';
import { defineSignal } from './define.js';

/**
 * Install scripts run code at install time, which is how squats attack. Popular, established
 * packages with scripts (esbuild, sharp) are common and fine, so only young or little-used ones
 * are reported.
 */
export const installScript = defineSignal({
  code: 'install-script',
  severity: 'warn',
  evaluate: ({ facts, now, policy }) => {
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
  },
  wording: ({ name, signal: { evidence: ev } }) => `\`${name}\` runs code at install time (${ev.scripts}) and is young or little used`,
  downloadThresholds: (policy) => [policy.thresholds.installScriptMinWeeklyDownloads],
  rule: {
    name: 'InstallScript',
    short: 'A young or little-used package runs code at install time',
    help: 'Install scripts run with your permissions before you use the package. On a young or unpopular package that is how most npm malware starts. Review the script first.',
  },
});
