/**
 * How much slopguard reads of untrusted files: the per-file cap and the run's total budget, with
 * their environment overrides (`SLOPGUARD_MAX_FILE_MB`, `SLOPGUARD_READ_BUDGET_MB`). One home for
 * both, so every door (scan, ci, hooks, LSP, wrappers) reads with the same limits.
 */
import { UsageError } from '../core/errors.js';

/** Limits of the file-access port. */
export interface ReadLimits {
  /** Largest file read, in bytes. */
  maxFileBytes: number;
  /** Total bytes one run reads through the port. */
  totalBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Sized from real lockfiles: the largest public package-lock.json and yarn.lock files seen are
 * 20-40 MiB (monorepos with thousands of packages), so 64 MiB leaves room; a monorepo's files
 * together stay far below 512 MiB, while `/dev/zero` or a planted multi-gigabyte file is cut off
 * long before it costs the CI runner its memory.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileBytes: 64 * MIB, totalBytes: 512 * MIB };

/** The environment variables, as an `as const` contract. */
export const READ_LIMIT_ENV = { maxFileBytes: 'SLOPGUARD_MAX_FILE_MB', totalBytes: 'SLOPGUARD_READ_BUDGET_MB' } as const;

function megabytes(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n <= 0 || n > 1024 * 1024) throw new UsageError(`${name}=${raw.slice(0, 40)}: expected a number of megabytes greater than 0 (e.g. ${name}=64)`);
  return Math.floor(n * MIB);
}

/** The limits for a run: the defaults, overridden by the environment. A bad value is a UsageError naming the variable. */
export function readLimits(env: Readonly<Record<string, string | undefined>>): ReadLimits {
  return {
    maxFileBytes: megabytes(READ_LIMIT_ENV.maxFileBytes, env[READ_LIMIT_ENV.maxFileBytes]) ?? DEFAULT_READ_LIMITS.maxFileBytes,
    totalBytes: megabytes(READ_LIMIT_ENV.totalBytes, env[READ_LIMIT_ENV.totalBytes]) ?? DEFAULT_READ_LIMITS.totalBytes,
  };
}
