/**
 * Codex's MCP servers: `[mcp_servers.<name>]` tables in `~/.codex/config.toml` or a project's
 * `.codex/config.toml` (https://developers.openai.com/codex/mcp):
 *   [mcp_servers.context7]
 *   command = "npx"
 *   args = ["-y", "@upstash/context7-mcp"]
 * read as the JSON configs are (mcp-json.ts): the command line with the install-command grammar,
 * each package located at its string in the file. Servers with a `url` run nothing here.
 */
import type { Extractor, ExtractNote, ExtractResult, PackageRef, SourceDocument } from '../../core/types.js';
import { Collector } from '../notes.js';
import { LineIndex, normalizeText } from '../locate.js';
import { isTable, readToml } from '../pypi/common.js';
import { StringCursor, TomlLocator } from '../pypi/toml-locate.js';
import { parseCommandLine } from '../text/install-command.js';

const CODEX_CONFIG = /(?:^|[\\/])\.codex[\\/]config\.toml$/;

function extract(doc: SourceDocument): ExtractResult {
  const lines = new LineIndex(normalizeText(doc.text));
  const c = new Collector(doc.path, 'npm');
  const refs: PackageRef[] = [];
  const notes: ExtractNote[] = c.notes;
  const root = readToml(c, lines, 'Codex config');
  const servers = root?.mcp_servers;
  if (!root || servers === undefined) return { refs, notes };
  const loc = new TomlLocator(lines);
  const near = (path: string[]) => loc.locate(path);
  if (!isTable(servers)) {
    c.malformed(`"mcp_servers" should be a table of MCP servers.`, loc.origin(doc.path, near(['mcp_servers'])?.offset, 11, 'mcp_servers'));
    return { refs, notes };
  }
  for (const [name, server] of Object.entries(servers)) {
    const context = `mcp_servers.${name}`;
    const at = near(['mcp_servers', name]);
    if (!isTable(server)) {
      c.malformed(`"${context}" should be a table with "command" and "args".`, loc.origin(doc.path, at?.offset, name.length, context));
      continue;
    }
    if (server.command === undefined) continue; // a remote server (`url`)
    const args = server.args ?? [];
    if (typeof server.command !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      c.malformed(`"${context}" should have a string "command" and an "args" array of strings; this server's command was not checked.`, loc.origin(doc.path, at?.offset, name.length, context));
      continue;
    }
    const words = [server.command, ...(args as string[])];
    const parsed = parseCommandLine(words, { file: doc.path });
    if (!parsed) continue;
    // The strings in file order from the command key: `command` then `args`, as Codex's docs write them.
    const start = near(['mcp_servers', name, 'command']);
    const cursor = start ? new StringCursor(loc, start.offset, start.region.end) : undefined;
    const offsets = words.map((w) => cursor?.next(w));
    const origin = (column: number | undefined, length: number) => {
      const i = (column ?? 1) - 1;
      return loc.origin(doc.path, offsets[i], offsets[i] === undefined ? 0 : length, context, at?.offset);
    };
    for (const r of parsed.refs) refs.push({ ...r, origin: origin(r.origin?.column, words[(r.origin?.column ?? 1) - 1]?.length ?? 0) });
    for (const n of parsed.notes) notes.push({ ...n, origin: origin(n.origin?.column, 0) });
  }
  return { refs, notes };
}

/** Codex CLI's MCP servers in config.toml. */
export const mcpCodexTomlExtractor: Extractor = {
  id: 'mcp-codex-toml',
  format: 'Codex MCP servers (.codex/config.toml [mcp_servers.<name>]): npx, uvx, pipx run ... servers',
  ecosystem: 'npm',
  ecosystems: ['npm', 'pypi'],
  kind: 'manifest',
  matches: (path) => CODEX_CONFIG.test(path),
  extract,
};
