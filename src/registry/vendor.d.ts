/**
 * Minimal types for the CommonJS packages the registry clients use that ship none
 * (or ship outdated ones: @types/npm-registry-fetch still describes node-fetch responses).
 */

declare module '@npmcli/agent' {
  import type { Agent as HttpAgent, ClientRequest } from 'node:http';
  import type { Socket } from 'node:net';

  /** What agent-base passes to `connect()`. */
  export interface ConnectOptions {
    host?: string;
    hostname?: string;
    port?: number | string;
    secureEndpoint?: boolean;
    protocol?: string;
  }

  /** npm's keep-alive agent (proxies, idle timeouts) built on agent-base. */
  export class Agent extends HttpAgent {
    constructor(options?: Record<string, unknown>);
    connect(req: ClientRequest, options: ConnectOptions): Promise<Socket>;
  }
}

declare module 'hosted-git-info' {
  interface HostedGitInfo {
    browse(): string;
  }
  const hosted: { fromUrl(url: string, opts?: Record<string, unknown>): HostedGitInfo | undefined };
  export default hosted;
}
