/**
 * `slopguard lsp`: a language server over stdio for package.json, requirements*.txt,
 * pyproject.toml and Pipfile.
 *
 * - Diagnostics on open (at once) and on change (debounced per document, so typing a name does
 *   not query the registry once per keystroke); only the changed document is re-checked, and
 *   answers that arrive for an older version of a document are dropped.
 * - One resolver for the server's life: names already asked are answered from memory, the disk
 *   cache covers restarts, and `--offline` works from that cache alone.
 * - Quick fix "Replace with `lodash`" and a hover with the facts behind each verdict.
 *
 * The connection is built with its own watchdog instead of vscode-languageserver's node default,
 * which calls process.exit: the server resolves with an exit code like every other command, and
 * stdout carries nothing but the protocol (warnings go to the client's log and stderr).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  createConnection,
  type Connection,
  type InitializeResult,
  type WatchDog,
} from 'vscode-languageserver';
import { StreamMessageReader, StreamMessageWriter, createProtocolConnection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { check, type CheckOptions } from '../core/check.js';
import type { Report, Resolver } from '../core/types.js';
import { findExtractor } from '../extractors/index.js';
import { diskAccess, overlayAccess } from '../sources/file-access.js';
import { extractWithIncludes } from '../sources/includes.js';
import { readLimits } from '../sources/read-limits.js';
import { readRootFor } from '../sources/repo-root.js';
import { quickFixes } from './code-actions.js';
import { diagnosticsFor, locateResults, noteDiagnostics, type LocatedResult } from './diagnostics.js';
import { hoverAt } from './hover.js';
import { openResolver } from '../core/open-resolver.js';
import { dropFirstParty, repositoryRoot } from '../sources/first-party.js';

/** How to run the server. */
export interface LanguageServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** check() options (policy, registries, cache, offline); the server adds its long-lived resolver. */
  checkOptions: CheckOptions;
  /** Quiet time after the last change before a document is re-checked (ms). */
  debounceMs: number;
  /** Where slopguard's own warnings go besides the client's log. */
  log: (message: string) => void;
  version: string;
  /** Told every report whose diagnostics were sent, with the document's path (the audit log). */
  onReport?: (report: Report, path: string) => Promise<void>;
}

/** The manifest formats the server checks (lockfiles are machine-written: `slopguard scan` covers them). */
export function isServedDocument(path: string): boolean {
  return findExtractor(path)?.kind === 'manifest';
}

function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** Start the server; resolves with the exit code when the client says exit or the input closes. */
export function startLanguageServer(o: LanguageServerOptions): Promise<number> {
  return new Promise<number>((resolveExit) => {
    let finished = false;
    let resolver: Resolver | undefined;
    let resolverPromise: Promise<Resolver> | undefined;
    const timers = new Map<string, NodeJS.Timeout>();
    const located = new Map<string, LocatedResult[]>();
    const documents = new TextDocuments(TextDocument);
    /** The workspace folder the client opened (confines reads outside a git repository). */
    let workspaceRoot: string | undefined;
    let debounceMs = o.debounceMs;
    let connection: Connection;

    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      for (const t of timers.values()) clearTimeout(t);
      void (resolver?.close() ?? Promise.resolve()).finally(() => {
        try {
          connection?.dispose();
        } catch {
          // already gone
        }
        // A stream still being read keeps the process alive after `exit`; nothing more will come.
        (o.input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        resolveExit(code);
      });
    };
    const watchDog: WatchDog = {
      shutdownReceived: false,
      initialize: () => {},
      exit: (code) => finish(code),
    };
    const warn = (m: string) => {
      o.log(m);
      connection?.console.warn(`slopguard: ${m}`);
    };
    const checkOptions: CheckOptions = { ...o.checkOptions, warn };
    const getResolver = () => (resolverPromise ??= openResolver(checkOptions).then((r) => (resolver = r)));

    connection = createConnection(
      (logger) => createProtocolConnection(new StreamMessageReader(o.input), new StreamMessageWriter(o.output), logger),
      watchDog,
    );
    o.input.on('close', () => finish(watchDog.shutdownReceived ? 0 : 1));
    o.input.on('end', () => finish(watchDog.shutdownReceived ? 0 : 1));

    async function validate(uri: string): Promise<void> {
      const doc = documents.get(uri);
      const path = pathOf(uri);
      if (!doc || !path || !isServedDocument(path)) return;
      const version = doc.version;
      // `-r other.txt` is read through the file-access port: the editor's open (unsaved) copy when
      // there is one, else the disk; confined to the repository, regular files only, capped.
      // A fresh budget per check: the server lives for days, one document's reads must not
      // starve the next.
      const root = await readRootFor(path, workspaceRoot ?? dirname(path));
      const access = overlayAccess(diskAccess({ root, displayBase: '', limits: readLimits(process.env) }), (abs) => openText(abs), '');
      // Workspace packages and the project's own name are never sent to a registry.
      const extracted = await dropFirstParty(await extractWithIncludes({ path, text: doc.getText() }, access, (p) => p), repositoryRoot(dirname(path)));
      // Mid-edit the file may not parse; keep the last diagnostics rather than flicker.
      if (extracted.notes.some((n) => n.code === 'malformed')) return;
      const report = await check(extracted.refs, { ...checkOptions, resolver: await getResolver(), notes: extracted.notes });
      const current = documents.get(uri);
      if (finished || !current || current.version !== version) return;
      const found = locateResults(report, current, path);
      located.set(uri, found);
      await connection.sendDiagnostics({ uri, version, diagnostics: [...diagnosticsFor(found), ...noteDiagnostics(report.notes, current, path)] });
      await o.onReport?.(report, path);
    }

    function schedule(uri: string, delay: number): void {
      clearTimeout(timers.get(uri));
      timers.set(
        uri,
        setTimeout(() => {
          timers.delete(uri);
          validate(uri).catch((e: unknown) => warn(`could not check ${uri}: ${(e as Error)?.message ?? String(e)}`));
        }, delay),
      );
    }

    const openText = (abs: string): string | undefined => {
      for (const d of documents.all()) if (pathOf(d.uri) === abs) return d.getText();
      return undefined;
    };

    connection.onInitialize((params): InitializeResult => {
      const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
      workspaceRoot = rootUri ? pathOf(rootUri) : undefined;
      const init = params.initializationOptions as { debounceMs?: unknown } | undefined;
      if (typeof init?.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          hoverProvider: true,
        },
        serverInfo: { name: 'slopguard', version: o.version },
      };
    });
    connection.onShutdown(async () => {
      watchDog.shutdownReceived = true;
    });
    const openedAt = new Map<string, number>();
    documents.onDidOpen((e) => {
      openedAt.set(e.document.uri, e.document.version);
      schedule(e.document.uri, 0);
    });
    documents.onDidChangeContent((e) => {
      // TextDocuments fires this right after onDidOpen too; that version is already scheduled.
      if (openedAt.get(e.document.uri) !== e.document.version) schedule(e.document.uri, debounceMs);
    });
    documents.onDidClose((e) => {
      openedAt.delete(e.document.uri);
      clearTimeout(timers.get(e.document.uri));
      timers.delete(e.document.uri);
      located.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    connection.onCodeAction((params) => quickFixes(params));
    connection.onHover((params) => hoverAt(located.get(params.textDocument.uri) ?? [], params.position, checkOptions.now?.() ?? new Date()));

    documents.listen(connection);
    connection.listen();
  });
}
