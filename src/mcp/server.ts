/**
 * `slopguard mcp`: an MCP server over stdio that agents call before they suggest or install a
 * package. Two tools, both read-only:
 *
 * - `check_packages`: an ecosystem and names (`lodash`, `lodash@4`, `pypi:requests==2.32`) ->
 *   a verdict per package, the reason, the name probably meant.
 * - `check_text`: an answer, a shell snippet or a unified diff -> the same, for every package its
 *   install commands, imports or added dependencies name.
 *
 * Inputs are zod schemas (published as JSON Schema); results are `structuredContent` matching
 * the declared outputSchema, plus the same as text. stdout carries only the protocol; logs go to
 * stderr. One resolver serves the server's whole life (see ../lsp/resolver.ts).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { check, type CheckOptions } from '../core/check.js';
import { parseSpecs } from '../core/specs.js';
import type { ExtractNote, PackageRef, Report, Resolver } from '../core/types.js';
import { extractDiff } from '../extractors/text/diff.js';
import { extractDocument, extractorById } from '../extractors/index.js';
import { checkText } from '../install/check-text.js';
import { dropFirstParty } from '../sources/first-party.js';
import { openResolver } from '../core/open-resolver.js';
import { CHECK_RESULT_SHAPE, checkResultText, toCheckResult } from './result.js';

/** How to run the server. */
export interface McpServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  checkOptions: CheckOptions;
  log: (message: string) => void;
  version: string;
  /** The repository the agent works in (first-party names are resolved there); none: every name is looked up. */
  root?: string;
  /** Told every report answered (the audit log); awaited before the answer goes out. */
  onReport?: (report: Report) => Promise<void>;
}

/** Caps: a tool call is one question, not a bulk scan. */
const MAX_NAMES = 200;
const MAX_TEXT = 2 * 1024 * 1024;

/** A unified diff (git or plain): judge only what it adds. */
const DIFF = /^(?:diff --git |--- \S[^\n]*\n\+\+\+ \S)/m;

/** Build the MCP server with its two tools (exported for in-process use and tests). */
export function buildMcpServer(o: Pick<McpServerOptions, 'checkOptions' | 'version' | 'root' | 'onReport'>, getResolver: () => Promise<Resolver>): McpServer {
  const server = new McpServer({ name: 'slopguard', version: o.version }, { capabilities: { tools: {} } });

  const answer = async (report: Report) => {
    await o.onReport?.(report);
    const structured = toCheckResult(report);
    return { content: [{ type: 'text' as const, text: checkResultText(structured) }], structuredContent: structured };
  };
  const run = async (refs: PackageRef[], notes: ExtractNote[]) => answer(await check(refs, { ...o.checkOptions, resolver: await getResolver(), notes }));

  server.registerTool(
    'check_packages',
    {
      title: 'Check package names',
      description:
        'Check npm or PyPI package names before suggesting or installing them. Catches names that do not exist ' +
        '(hallucinated), look-alikes of popular packages (typosquats), packages published days ago or barely used, ' +
        'and security placeholders. Call it before telling anyone to install a package; if a verdict is "block", do ' +
        'not suggest that name (use `suggestion` when there is one).',
      inputSchema: {
        ecosystem: z.enum(['npm', 'pypi']).describe('registry of names without a prefix'),
        names: z
          .array(z.string().min(1).max(512))
          .min(1)
          .max(MAX_NAMES)
          .describe('package names, optionally with a version (`lodash@4`, `requests==2.32`); `npm:` or `pypi:` prefixes override `ecosystem`'),
      },
      outputSchema: CHECK_RESULT_SHAPE,
      annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true },
    },
    async ({ ecosystem, names }) => {
      const parsed = parseSpecs(names, ecosystem, '<names>');
      const notes: ExtractNote[] = parsed.errors.map((message) => ({ level: 'error', code: 'invalid-name', message, origin: { file: '<names>' } }));
      return run(parsed.refs, notes);
    },
  );

  server.registerTool(
    'check_text',
    {
      title: 'Check packages in text or a diff',
      description:
        'Check every package an answer, a shell snippet, a Dockerfile or a unified diff would install: install commands ' +
        '(npm, yarn, pnpm, bun, pip, uv, poetry, pipx), imports and requires, and dependencies a diff adds to manifests ' +
        'and lockfiles. Returns the same verdicts as check_packages.',
      inputSchema: {
        text: z.string().min(1).max(MAX_TEXT).describe('the answer, snippet or diff'),
        kind: z.enum(['auto', 'answer', 'diff']).optional().describe('how to read the text (default auto: a unified diff is read as a diff)'),
      },
      outputSchema: CHECK_RESULT_SHAPE,
      annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true },
    },
    async ({ text, kind }) => {
      const asDiff = kind === 'diff' || ((kind ?? 'auto') === 'auto' && DIFF.test(text));
      if (asDiff) {
        // The project's own modules, aliases and workspace packages are never sent to a registry.
        const extracted = await dropFirstParty(extractDiff(text), o.root);
        return run(extracted.refs, extracted.notes);
      }
      // The shared resolver is bound to the server's registries; a command's own `--registry`
      // or `-i` gets a check of its own (install/check-plan.ts).
      const base = o.checkOptions;
      const shared = await getResolver();
      const report = await checkText(
        { path: '<text>', text },
        process.cwd(),
        base,
        (refs, opts) => check(refs, opts.registryOverrides === base.registryOverrides && opts.env === base.env ? { ...opts, resolver: shared } : opts),
        o.root,
      );
      return answer(report);
    },
  );
  server.registerTool(
    'check_mcp_server',
    {
      title: 'Check an MCP server or a skill before adding it',
      description:
        'Check what an MCP server entry would start (`npx -y <package>`, `uvx <package>`, `pipx run <package>`, ...) or ' +
        'what a skill (SKILL.md, AGENTS.md) tells the agent to install, before it is added to a config or loaded. ' +
        'Give either `command` with `args` (one server entry), or `config` (the JSON of an MCP config: mcpServers / ' +
        'servers), or `skill` (the skill\'s Markdown). Returns the same verdicts as check_packages.',
      inputSchema: {
        command: z.string().min(1).max(4096).optional().describe('the server entry\'s command, e.g. "npx"'),
        args: z.array(z.string().max(4096)).max(200).optional().describe('the server entry\'s args, e.g. ["-y", "@scope/server"]'),
        config: z.string().min(1).max(MAX_TEXT).optional().describe('an MCP config file\'s JSON ({"mcpServers": {...}})'),
        skill: z.string().min(1).max(MAX_TEXT).optional().describe('a skill\'s Markdown (SKILL.md, AGENTS.md)'),
      },
      outputSchema: CHECK_RESULT_SHAPE,
      annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true },
    },
    async ({ command, args, config, skill }) => {
      const given = [command !== undefined, config !== undefined, skill !== undefined].filter(Boolean).length;
      // One subject a call. An invalid-params error naming what is wrong (the SDK hands a handler's error to
      // the client as a tool error, as it does the schema's own).
      if (given !== 1) throw new McpError(ErrorCode.InvalidParams, 'give exactly one of `command` (with `args`), `config` or `skill`');
      if (args !== undefined && command === undefined) throw new McpError(ErrorCode.InvalidParams, '`args` needs `command`');
      const extractor = extractorById(skill !== undefined ? 'agent-instructions' : 'mcp-json');
      if (!extractor) throw new McpError(ErrorCode.InternalError, 'the MCP config format is not registered');
      const path = skill !== undefined ? 'SKILL.md' : '.mcp.json';
      const text = skill ?? config ?? JSON.stringify({ mcpServers: { server: { command, args: args ?? [] } } }, null, 2);
      if (config !== undefined) {
        try {
          JSON.parse(config);
        } catch (e) {
          throw new McpError(ErrorCode.InvalidParams, `\`config\` is not JSON (${(e as Error).message})`);
        }
      }
      const extracted = extractDocument({ path, text }, undefined, extractor);
      return run(extracted.refs, extracted.notes);
    },
  );
  return server;
}

/** Serve MCP on the given streams; resolves with the exit code when the input closes. */
export async function startMcpServer(o: McpServerOptions): Promise<number> {
  let resolver: Promise<Resolver> | undefined;
  const checkOptions: CheckOptions = { ...o.checkOptions, warn: o.log };
  const getResolver = () => (resolver ??= openResolver(checkOptions));
  const server = buildMcpServer({ checkOptions, version: o.version, ...(o.root !== undefined ? { root: o.root } : {}), ...(o.onReport ? { onReport: o.onReport } : {}) }, getResolver);
  const transport = new StdioServerTransport(o.input as NodeJS.ReadStream, o.output as NodeJS.WriteStream);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    // The transport does not watch for the client going away; the end of stdin is that signal.
    o.input.once('end', () => void server.close());
    o.input.once('close', () => void server.close());
  });
  transport.onerror = (e) => o.log(`MCP transport: ${e.message}`);
  await server.connect(transport);
  await closed;
  if (resolver) await (await resolver).close();
  return 0;
}
