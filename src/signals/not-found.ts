import { REGISTRY_NAME } from '../reporters/wording.js';
import { defineSignal } from './define.js';

/** The registry answered that the name does not exist (a 404 is a fact, not an error). */
export const notFound = defineSignal({
  code: 'not-found',
  // The name cannot be installed as meant: nothing to weigh.
  severity: 'block',
  evaluate: ({ facts }) =>
    facts.status === 'not-found' ? [{ code: 'not-found', evidence: { registry: facts.registry, offlineList: facts.offlineList ?? null } }] : [],
  wording: ({ name, ecosystem, signal: { evidence } }) =>
    evidence.offlineList
      ? `\`${name}\` does not exist on ${REGISTRY_NAME[ecosystem]} (per the bundled list of every project name, ${evidence.offlineList}; the registry itself could not be reached)`
      : ecosystem === 'npm' && name.startsWith('@')
        ? `\`${name}\` does not exist on npm (or it is private and no token for ${name.split('/')[0]} was configured)`
        : `\`${name}\` does not exist on ${REGISTRY_NAME[ecosystem]}`,
  rule: {
    name: 'PackageNotFound',
    short: 'The package does not exist on the registry',
    help: 'The name is not on the registry: a hallucinated or mistyped name. Anyone can register it and ship code to whoever installs it next. Fix the name (see the suggestion) or remove the dependency.',
  },
});
