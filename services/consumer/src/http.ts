/** /metrics (Prometheus), /healthz (process alive), /readyz (in the group, writes succeeding). */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export function startHttp(opts: {
  port: number;
  host: string;
  registry: Registry;
  ready: () => boolean;
}): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      opts.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': opts.registry.contentType });
          res.end(text);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        });
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else if (path === '/readyz') {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ready\n' : 'not ready: not in the consumer group yet, or the last write to ClickHouse failed\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('try /metrics, /healthz or /readyz\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${opts.host}:${opts.port} is in use (another consumer?): set NDR_HTTP_PORT to a free port, or 0 to turn the endpoints off`,
            )
          : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
