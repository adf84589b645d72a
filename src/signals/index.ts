import type { SignalFn } from '../core/types.js';
import { deprecated } from './deprecated.js';
import { installScript } from './install-script.js';
import { lowDownloads } from './low-downloads.js';
import { noRepository } from './no-repository.js';
import { notFound } from './not-found.js';
import { otherEcosystem } from './other-ecosystem.js';
import { securityHolder } from './security-holder.js';
import { suspiciousName } from './suspicious-name.js';
import { tooNew } from './too-new.js';
import { typo } from './typo.js';
import { unpublished } from './unpublished.js';
import { unverified } from './unverified.js';
import { yanked } from './yanked.js';

/** Every signal, one question each. The order is the order findings are reported in. */
export const SIGNALS: readonly SignalFn[] = [
  unverified,
  notFound,
  unpublished,
  securityHolder,
  typo,
  otherEcosystem,
  suspiciousName,
  tooNew,
  lowDownloads,
  deprecated,
  yanked,
  installScript,
  noRepository,
];
