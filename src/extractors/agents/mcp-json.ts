/**
 * MCP server configs in JSON: the packages an agent starts as MCP servers, from config files
 * nobody reviews as dependencies.
 *
 * - `mcpServers.<name>` in Claude Code's `.mcp.json`, Claude Desktop's `claude_desktop_config.json`,
 *   Cursor's `.cursor/mcp.json` and Gemini CLI's `.gemini/settings.json`;
 * - `servers.<name>` in VS Code's `.vscode/mcp.json`;
 * each `{ "command": "npx", "args": ["-y", "@scope/server"] }` (remote servers with a `url` run
 * nothing and are skipped). The command line is read with the install-command grammar
 * (`parseCommandLine`), the same one the wrappers use, so `npx -y <pkg>`, `uvx <pkg>`,
 * `pipx run <pkg>`, `bunx <pkg>`, `pnpm dlx <pkg>` are refs (npm or PyPI), each located at its
 * argument in the file. A `command` with the whole line in it and no `args` (`"npx -y x"`) is
 * read as shell text.
 */
import type { Node } from 'jsonc-parser';
import type { Extractor, ExtractNote, ExtractResult, Origin, PackageRef, SourceDocument } from '../../core/types.js';
import { entries, parseJson, prop, str, typeOf } from '../json-tree.js';
import { LineIndex, normalizeText } from '../locate.js';
import { findInstallCommands, parseCommandLine, type InstallCommand } from '../text/install-command.js';

/** The files, by their path's tail. */
const MCP_JSON_FILE = /(?:^|[\\/])(?:\.mcp\.json|claude_desktop_config\.json|\.cursor[\\/]mcp\.json|\.vscode[\\/]mcp\.json|\.gemini[\\/]settings\.json)$/;

class McpJsonReader {
  readonly refs: PackageRef[] = [];
  readonly notes: ExtractNote[] = [];
  private readonly lines: LineIndex;

  constructor(private readonly doc: SourceDocument) {
    this.lines = new LineIndex(normalizeText(doc.text));
  }

  read(): ExtractResult {
    const file = this.doc.path;
    // Gemini's and VS Code's settings allow comments and trailing commas.
    const { root, error } = parseJson(file, this.lines, true);
    if (error) this.malformed(error.message, error.origin);
    if (!root || root.type !== 'object') {
      if (root && !error) this.malformed(`${file}: expected a JSON object at the top level, found ${typeOf(root)}.`, this.at(root));
      return { refs: this.refs, notes: this.notes };
    }
    for (const key of ['mcpServers', 'servers']) {
      const servers = prop(root, key);
      if (!servers) continue;
      if (servers.type !== 'object') {
        this.malformed(`"${key}" should be an object of MCP servers, found ${typeOf(servers)}.`, this.at(servers, key));
        continue;
      }
      for (const { key: name, value } of entries(servers)) if (value) this.readServer(`${key}.${name}`, value);
    }
    return { refs: this.refs, notes: this.notes };
  }

  private readServer(context: string, server: Node): void {
    if (server.type !== 'object') {
      this.malformed(`"${context}" should be an object with "command" and "args", found ${typeOf(server)}.`, this.at(server, context));
      return;
    }
    const commandNode = prop(server, 'command');
    const command = str(commandNode);
    if (!commandNode) return; // a remote server (`url`): nothing runs here
    if (command === undefined) {
      this.malformed(`"${context}.command" should be a string, found ${typeOf(commandNode)}.`, this.at(commandNode, context));
      return;
    }
    const argsNode = prop(server, 'args');
    if (argsNode && argsNode.type !== 'array') {
      this.malformed(`"${context}.args" should be an array of strings, found ${typeOf(argsNode)}.`, this.at(argsNode, context));
      return;
    }
    const argNodes = argsNode?.children ?? [];
    const bad = argNodes.find((a) => str(a) === undefined);
    if (bad) {
      // The line cannot be read whole; what it would start is not known.
      this.malformed(`"${context}.args" should hold only strings, found ${typeOf(bad)}; this server's command was not checked.`, this.at(bad, context));
      return;
    }
    if (!argsNode && /\s/.test(command.trim())) {
      this.readShellText(command, commandNode!, context);
      return;
    }
    const nodes = [commandNode!, ...argNodes];
    const parsed = parseCommandLine(nodes.map((n) => str(n) as string), { file: this.doc.path });
    if (parsed) this.take(parsed, context, (column) => nodes[(column ?? 1) - 1] ?? commandNode!);
  }

  /** `"command": "npx -y x"`: one string the agent hands to a shell. */
  private readShellText(command: string, node: Node, context: string): void {
    for (const c of findInstallCommands(command, { file: this.doc.path })) {
      for (const ref of c.refs) this.refs.push({ ...ref, origin: this.inString(node, ref.origin, context) });
      for (const n of c.notes) this.notes.push({ ...n, origin: this.inString(node, n.origin, context) });
    }
  }

  /** Refs and notes of a parsed command line, each located at the argument it came from. */
  private take(c: InstallCommand, context: string, argNode: (column: number | undefined) => Node): void {
    for (const ref of c.refs) this.refs.push({ ...ref, origin: this.at(argNode(ref.origin?.column), context, true) });
    for (const n of c.notes) this.notes.push({ ...n, origin: this.at(argNode(n.origin?.column), context, true) });
  }

  /** An origin at a node; `inside` skips a string's opening quote. */
  private at(node: Node, context?: string, inside = false): Origin {
    const quote = inside && node.type === 'string' ? 1 : 0;
    return this.lines.origin(this.doc.path, node.offset + quote, inside ? node.length - 2 * quote : 1, context);
  }

  /** An origin inside a JSON string, from a position the grammar gave within its value (line 1). */
  private inString(node: Node, origin: Origin | undefined, context: string): Origin {
    const column = origin?.line === 1 && origin.column ? origin.column : 1;
    const length = origin?.endColumn && origin.column ? origin.endColumn - origin.column : 0;
    return this.lines.origin(this.doc.path, node.offset + column, length, context);
  }

  private malformed(message: string, origin: Origin): void {
    this.notes.push({ level: 'error', code: 'malformed', message, origin: { ...origin } });
  }
}

/** MCP server configs in JSON (Claude Code, Claude Desktop, Cursor, VS Code, Gemini CLI). */
export const mcpJsonExtractor: Extractor = {
  id: 'mcp-json',
  format: 'MCP server configs (.mcp.json, claude_desktop_config.json, .cursor/mcp.json, .vscode/mcp.json, .gemini/settings.json): npx, uvx, pipx run ... servers',
  ecosystem: 'npm',
  ecosystems: ['npm', 'pypi'],
  kind: 'manifest',
  matches: (path) => MCP_JSON_FILE.test(path),
  extract: (doc) => new McpJsonReader(doc).read(),
};
