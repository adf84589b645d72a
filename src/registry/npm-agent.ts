/**
 * An HTTP agent for npm-registry-fetch that connects only to one registry's origin.
 *
 * npm-registry-fetch (through make-fetch-happen) follows redirects itself and drops the
 * `Authorization` header only when the *hostname* changes: a redirect to another port or from
 * https to http on the same host keeps the token. It offers no option to stop following
 * redirects, but it hands every connection, redirects included, to the agent we pass. So the
 * agent refuses any origin other than the registry's: a redirect elsewhere fails before a byte
 * (or a token) is sent, and the lookup becomes `unverified`.
 *
 * Built on @npmcli/agent, npm's own agent, so keep-alive, proxies and idle timeouts behave as npm's.
 */
import { Agent as NpmcliAgent, type ConnectOptions } from '@npmcli/agent';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

/** Error code of a refused connection (not retried). */
export const REFUSED_ORIGIN = 'ESLOPGUARD_OTHER_ORIGIN';

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/** A keep-alive agent that connects to `origin` only. */
export class OriginBoundAgent extends NpmcliAgent {
  readonly #host: string;
  readonly #port: number;
  readonly #secure: boolean;

  constructor(origin: URL, options: Record<string, unknown>) {
    super({ keepAlive: true, ...options });
    this.#secure = origin.protocol === 'https:';
    this.#host = origin.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    this.#port = Number(origin.port) || defaultPort(origin.protocol);
    // Without it agent-base works the protocol out from a stack trace (new Error().stack) on every request.
    (this as unknown as { protocol: string }).protocol = origin.protocol;
  }

  override async connect(req: ClientRequest, options: ConnectOptions): Promise<Socket> {
    const secure = options.secureEndpoint ?? options.protocol === 'https:';
    const host = String(options.hostname ?? options.host ?? '').replace(/^\[|\]$/g, '').toLowerCase();
    const port = Number(options.port) || (secure ? 443 : 80);
    if (host !== this.#host || port !== this.#port || secure !== this.#secure) {
      const err = new Error(`refused to connect to ${secure ? 'https' : 'http'}://${host}:${port}: not the registry's origin (a redirect?)`);
      throw Object.assign(err, { code: REFUSED_ORIGIN });
    }
    return super.connect(req, options);
  }
}
