/**
 * Instructions written for coding agents: `AGENTS.md`, `CLAUDE.md`, `GEMINI.md`, a skill's
 * `SKILL.md`, Cursor's `.cursorrules`. Their install lines (`npx -y <pkg>`, `pip install <pkg>`)
 * are commands an agent will run as told, so `scan`, `diff`, `ci` and the LSP read them like
 * manifests; the text is read as Markdown, as `slopguard text` reads it (install commands in code
 * blocks and prose, imports in code blocks).
 */
import type { Extractor, ExtractResult, SourceDocument } from '../../core/types.js';
import { normalizeText } from '../locate.js';
import { scanTextKind } from '../text/free-text.js';
import { TextSink } from '../text/text-sink.js';

const INSTRUCTION_FILE = /(?:^|[\\/])(?:AGENTS\.md|CLAUDE\.md|GEMINI\.md|SKILL\.md|\.cursorrules)$/;

function extract(doc: SourceDocument): ExtractResult {
  const text = normalizeText(doc.text);
  const sink = new TextSink(doc.path, text);
  scanTextKind(sink, 'markdown', text, 0, text.length, doc.path);
  return sink.result();
}

/** Agent instruction and skill files, read as Markdown. */
export const agentInstructionsExtractor: Extractor = {
  id: 'agent-instructions',
  format: 'agent instructions and skills (AGENTS.md, CLAUDE.md, GEMINI.md, SKILL.md, .cursorrules): install commands in them',
  ecosystem: 'npm',
  ecosystems: ['npm', 'pypi'],
  kind: 'manifest',
  matches: (path) => INSTRUCTION_FILE.test(path),
  extract,
};
