/** Which package managers share an ecosystem, for the age-setting drift (one home for that grouping). */
import { AGE_TOOLS, type AgeTool } from '../core/age-gates.js';
import type { Ecosystem } from '../core/types.js';

/** Each tool's ecosystem. */
export const AGE_TOOL_ECOSYSTEM: Readonly<Record<AgeTool, Ecosystem>> = { npm: 'npm', pnpm: 'npm', yarn: 'npm', bun: 'npm', uv: 'pypi', pip: 'pypi' };

/** The tools of each ecosystem, in AGE_TOOLS order. */
export const ECOSYSTEMS_OF_AGE: ReadonlyArray<readonly [Ecosystem, readonly AgeTool[]]> = (['npm', 'pypi'] as const).map(
  (e) => [e, AGE_TOOLS.filter((t) => AGE_TOOL_ECOSYSTEM[t] === e)] as const,
);
