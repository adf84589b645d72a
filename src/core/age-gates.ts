/**
 * The package managers' own minimum-release-age settings, as data (see policy/native-age.ts for
 * where they are found and how they are read). Types only: the ground floor every stage may use.
 */
import type { Ecosystem } from './types.js';

/** The package managers whose age setting slopguard reads, as an `as const` contract. */
export const AGE_TOOLS = ['npm', 'pnpm', 'yarn', 'bun', 'uv', 'pip'] as const;
/** A package manager with an age setting of its own. */
export type AgeTool = (typeof AGE_TOOLS)[number];

/** Where a setting was found, in each tool's own precedence (environment beats project beats user beats global). */
export type AgeSettingScope = 'environment' | 'project' | 'user' | 'global';

/** One native age setting as written, with what it means. */
export interface NativeAgeSetting {
  tool: AgeTool;
  ecosystem: Ecosystem;
  /** The key as the tool spells it (`min-release-age`, `minimumReleaseAge`, `PIP_UPLOADED_PRIOR_TO`). */
  key: string;
  /** The value as written. */
  value: string;
  /** The file (shown relative to the folder checked, or absolute), or the environment variable. */
  file: string;
  line?: number;
  scope: AgeSettingScope;
  /** A relative gate: versions younger than this many days are refused (fractions allowed). */
  days?: number;
  /** An absolute cutoff (ISO 8601): files uploaded after it are refused (uv and pip dates). */
  before?: string;
  /** The tool uses this one (the first in its precedence); the others are listed but overridden. */
  effective: boolean;
}

/** A setting that could not be read: where, and what was expected. */
export interface AgeSettingProblem {
  tool: AgeTool;
  key: string;
  file: string;
  line?: number;
  /** Already worded: what was found and what was expected (never the file's other content). */
  message: string;
}

/**
 * Drift between the tools of one ecosystem: their effective gates differ (`different`), or a tool
 * in use has none while another has one (`missing`).
 */
export interface AgeDrift {
  ecosystem: Ecosystem;
  kind: 'different' | 'missing';
  /** The tools concerned: for `missing`, the ones without a gate. */
  tools: AgeTool[];
}

/** Report.ageGates: present only when a setting, a problem or drift was found. */
export interface AgeGatesReport {
  settings: NativeAgeSetting[];
  drift: AgeDrift[];
  problems: AgeSettingProblem[];
  /** Tools whose project files were found (lockfiles, config), with or without a gate. */
  inUse: AgeTool[];
}
