import type { Report } from '../core/types.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';
import { renderSarif } from './sarif.js';
import { renderGithub } from './github.js';
import { renderMarkdown } from './markdown.js';
import { renderJunit } from './junit.js';

/** What a renderer may know beyond the report. */
export interface RenderContext {
  color: boolean;
  now: Date;
  /** Show ok packages (text). */
  showOk?: boolean;
  /** The repository root, for formats that want repo-relative paths (SARIF). */
  root?: string;
}

export type Renderer = (report: Report, ctx: RenderContext) => string;

/** Every output format's `--format` name: every command accepts each of them. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Every output format, by its `--format` name. A new format is one line here, one in REPORT_FORMATS, and one file. */
export const RENDERERS: Record<ReportFormat, Renderer> = {
  text: (r, c) => renderText(r, { color: c.color, showOk: c.showOk ?? true }, c.now),
  json: (r) => renderJson(r),
  sarif: (r, c) => renderSarif(r, c.root ? { root: c.root } : {}),
  github: (r) => renderGithub(r),
  markdown: (r) => renderMarkdown(r),
  junit: (r) => renderJunit(r),
};

export function render(report: Report, format: string, ctx: RenderContext): string {
  const renderer = (RENDERERS as Record<string, Renderer | undefined>)[format];
  if (!renderer) throw new Error(`unknown format ${format}`);
  return renderer(report, ctx);
}
