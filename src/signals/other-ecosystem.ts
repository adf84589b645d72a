import { normalizePypiName, PYPI_NAME } from '../core/names.js';
import type { Ecosystem } from '../core/types.js';
import { REGISTRY_NAME } from '../reporters/wording.js';
import { defineSignal } from './define.js';

/**
 * A name missing from its own registry but real in the other one: `pip install` of a JavaScript
 * package, or `npm install` of a Python one. The offline lists answer (PyPI's is complete; npm's
 * holds only popular names, so its silence says nothing). The other registry is never asked: a
 * name missing from the registry it was meant for may be an internal one, and sending it to a
 * second public registry would leak it for a warning the lists give for the names people mix up.
 */
export const otherEcosystem = defineSignal({
  code: 'other-ecosystem',
  severity: 'warn',
  evaluate: ({ ref, facts, popular }) => {
    if (facts.status !== 'not-found') return [];
    const other: Ecosystem = ref.ecosystem === 'npm' ? 'pypi' : 'npm';
    const name = nameIn(other, ref.name);
    if (name === undefined) return [];
    if (popular(other).exists(name) !== true) return [];
    return [{ code: 'other-ecosystem', similarTo: name, evidence: { otherEcosystem: other, name } }];
  },
  wording: ({ name, ecosystem, signal }) => {
    const other = signal.evidence.otherEcosystem;
    return `\`${name}\` is not a ${REGISTRY_NAME[ecosystem]} package, but \`${signal.similarTo ?? name}\` exists on ${REGISTRY_NAME[other] ?? other}: wrong package manager?`;
  },
  rule: {
    name: 'WrongEcosystem',
    short: 'The name exists only on the other registry',
    help: 'The package is published on the other registry (npm vs PyPI): probably the wrong package manager. Anyone can register the name here.',
  },
});

/** The name as the other registry would spell it, or undefined when it cannot exist there. */
function nameIn(other: Ecosystem, name: string): string | undefined {
  if (other === 'pypi') {
    // Scoped npm names have no PyPI form.
    if (name.startsWith('@') || !PYPI_NAME.test(name)) return undefined;
    return normalizePypiName(name);
  }
  // PyPI names are case-insensitive; npm names are lower case (legacy mixed-case names aside).
  return name.toLowerCase();
}
