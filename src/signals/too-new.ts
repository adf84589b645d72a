import { day, num, plural } from '../reporters/wording.js';
import { ageInDays } from './age.js';
import { defineSignal } from './define.js';

/** Squats and hallucination-squats are young: most malicious packages are removed within days. */
export const tooNew = defineSignal({
  code: 'too-new',
  severity: 'warn',
  evaluate: ({ facts, now, policy }) => {
    if (facts.status !== 'found') return [];
    const ageDays = ageInDays(facts.created, now);
    if (ageDays === undefined || ageDays >= policy.thresholds.minAgeDays) return [];
    return [{ code: 'too-new', evidence: { ageDays, created: facts.created, minAgeDays: policy.thresholds.minAgeDays } }];
  },
  wording: ({ name, signal: { evidence: ev } }) =>
    `\`${name}\` was first published ${num(ev.ageDays)} ${plural(ev.ageDays, 'day', 'days')} ago (${day(ev.created)}); younger than ${num(ev.minAgeDays)} days`,
  rule: {
    name: 'PackageTooNew',
    short: 'The package was published very recently',
    help: 'Squats and malicious look-alikes are usually days old. Make sure this is the package you meant before depending on it.',
  },
});
