import type { SignalFn } from '../core/types.js';

/** The registry could not be asked. Never `ok`: policy makes this `unknown` (or a block with failClosed). */
export const unverified: SignalFn = ({ facts }) =>
  facts.status === 'unverified' ? [{ code: 'unverified', evidence: { error: facts.error ?? null, registry: facts.registry } }] : [];
