import type { Command } from 'commander';
import type { Report } from '../../core/types.js';
import { addPolicyOptions, checkOptionsFor, settingsFor, type CommonFlags } from '../options.js';
import type { CommandContext } from '../run.js';
import { protocolStreams, stderrLog } from './lsp.js';

export function registerMcp(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('mcp')
    .summary('MCP server over stdio: tools check_packages and check_text for agents')
    .description(
      'A Model Context Protocol server over stdio. Agents call `check_packages` (ecosystem + names) or `check_text` ' +
        '(an answer, a snippet or a diff) before they suggest or install a package, and get a verdict, the reason and ' +
        'the name probably meant for each.',
    )
    .addHelpText(
      'after',
      `
Register it with your agent (it starts the server itself):
  Claude Code   claude mcp add slopguard -- slopguard mcp
  Cursor        .cursor/mcp.json: {"mcpServers": {"slopguard": {"command": "slopguard", "args": ["mcp"]}}}
  Codex         ~/.codex/config.toml: [mcp_servers.slopguard]
                                      command = "slopguard"
                                      args = ["mcp"]`,
    );
  addPolicyOptions(cmd).action(async (flags: CommonFlags) => {
    const { io } = ctx;
    const settings = settingsFor(flags, io);
    const checkOptions = checkOptionsFor(settings, io, { ...flags, progress: false });
    // Loaded when run: other commands should not pay for the MCP SDK.
    const [{ startMcpServer }, { repositoryRoot }] = await Promise.all([import('../../mcp/server.js'), import('../../sources/first-party.js')]);
    const root = repositoryRoot(io.cwd);
    const { auditReport } = await import('../../audit/report.js');
    const onReport = async (report: Report) => void (await auditReport(settings, 'mcp', report, io, { command: ['slopguard', ...(io.argv ?? ['mcp'])] }));
    const streams = { ...protocolStreams(io), checkOptions, log: stderrLog(io), version: program.version() ?? '0.0.0', ...(settings.auditLog ? { onReport } : {}) };
    ctx.setExit(await startMcpServer(root !== undefined ? { ...streams, root } : streams));
  });
}
