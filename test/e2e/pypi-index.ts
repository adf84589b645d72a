import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export { buildWheel } from '../helpers/wheel.js';

/**
 * A PEP 503 "simple" index served from a folder of wheels on 127.0.0.1, for `pip install` in the
 * end-to-end tests (pip cannot reach PyPI here).
 *
 * Wheels come from test/helpers/wheel.ts (built by hand with Python's zipfile).
 *
 * The same server plays pypi.org: /simple/ for pip, and every other path (the JSON API, which
 * slopguard asks for a project's age) is forwarded to the fixture registry. So slopguard sees the
 * index pip uses as "PyPI's own index" and judges names the way it does for real PyPI.
 */

/** PEP 503 normalisation. */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');


export interface SimpleIndex {
  /** `http://127.0.0.1:<port>` (plays https://pypi.org). */
  url: string;
  /** `<url>/simple/` for `pip install --index-url`. */
  indexUrl: string;
  /** Paths pip or slopguard asked for. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve the wheels in `dir` as a PEP 503 index; forward other paths to `upstream` (the fixture registry). */
export async function startSimpleIndex(dir: string, upstream: string): Promise<SimpleIndex> {
  const requests: string[] = [];
  const wheels = () => readdirSync(dir).filter((f) => f.endsWith('.whl'));
  const projectOf = (wheel: string) => normalize(wheel.split('-')[0]!);
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    if (path === '/simple/') {
      const names = [...new Set(wheels().map(projectOf))];
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>${names.map((n) => `<a href="/simple/${n}/">${n}</a>`).join('\n')}</body></html>`);
      return;
    }
    const simple = /^\/simple\/([^/]+)\/?$/.exec(path);
    if (simple) {
      const files = wheels().filter((w) => projectOf(w) === normalize(decodeURIComponent(simple[1]!)));
      if (!files.length) return void res.writeHead(404).end('not found');
      const links = files.map((w) => `<a href="/files/${w}#sha256=${createHash('sha256').update(readFileSync(join(dir, w))).digest('hex')}">${w}</a>`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>\n${links.join('<br>\n')}\n</body></html>`);
      return;
    }
    const file = /^\/files\/([^/]+\.whl)$/.exec(path);
    if (file && wheels().includes(file[1]!)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(join(dir, file[1]!)));
      return;
    }
    // Everything else is PyPI's JSON API: forward to the fixture registry, headers and all.
    const up = new URL(path, upstream);
    const fwd = request(up, { method: req.method, headers: { ...req.headers, host: up.host } }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    indexUrl: `${url}/simple/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
