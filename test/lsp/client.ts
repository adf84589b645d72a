/**
 * A real LSP client for the tests: spawns `node bin/slopguard.js lsp` and speaks JSON-RPC to it
 * over stdio with vscode-languageserver-protocol, the client side editors use.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** The repository root, from dist/test/lsp/client.js. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../../bin/slopguard.js', import.meta.url));

/** A started server and the client connected to it. */
export interface LspSession {
  child: ChildProcessWithoutNullStreams;
  connection: ProtocolConnection;
  /** Every publishDiagnostics notification, in arrival order. */
  published: PublishDiagnosticsParams[];
  /** Resolves with the first publication (already received or future) for `uri` that `accept` likes. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  stderr(): string;
  /** Resolves with the exit code when the server process ends. */
  exited: Promise<number | null>;
}

export function startLsp(args: string[], env: Record<string, string>): LspSession {
  const child = spawn(process.execPath, [BIN, 'lsp', ...args], { env, cwd: ROOT, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.listen();
  return {
    child,
    connection,
    published,
    stderr: () => stderr,
    exited,
    diagnostics(uri, accept = () => true) {
      const seen = published.find((p) => p.uri === uri && accept(p));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
  };
}
