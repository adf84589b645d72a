/**
 * `GET /metrics` (issue 15): the guard's counters in the Prometheus text exposition format, for a
 * scraper on the same network. Cheap: it reads counters, never asks an upstream.
 */
import type { Route } from './context.js';

/** `GET /metrics`. */
export const metricsRoute: Route = {
  prefix: '/metrics',
  async handle(req, res, _url, ctx) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
      return;
    }
    const body = ctx.metrics.render();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
  },
};
