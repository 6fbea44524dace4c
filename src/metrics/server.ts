/**
 * The operator's HTTP endpoint on METRICS_HOST:METRICS_PORT (127.0.0.1 unless told otherwise):
 * GET /healthz (200 or 503 with JSON saying why) and GET /metrics (Prometheus text). Nothing
 * else is served; nothing here changes state.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from './health.js';

export interface OpsServer {
  /** http://host:port, as it listens (port 0 resolved). */
  url: string;
  stop(): Promise<void>;
}

export interface OpsServerOptions {
  host: string;
  port: number;
  health(): HealthReport;
  metrics(): Promise<{ contentType: string; body: string }>;
  onError?(error: unknown): void;
}

export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{"error":"only GET"}');
      return;
    }
    if (path === '/healthz') {
      let report: HealthReport;
      try {
        report = o.health();
      } catch (error) {
        o.onError?.(error);
        report = { status: 'failing', problems: ['the health check itself failed (see the log)'], checks: {} };
      }
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(report)}\n`);
      return;
    }
    if (path === '/metrics') {
      o.metrics().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => {
          o.onError?.(error);
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed (see the log)\n');
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found: try /healthz or /metrics"}');
  });
  await listen(server, o.host, o.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: host.replace(/^\[|\]$/g, ''), port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
