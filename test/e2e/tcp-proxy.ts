/**
 * A TCP proxy in front of a sandbox server, for "Telegram stopped answering" without stopping the
 * sandbox: `blackhole()` keeps every connection open but forwards nothing more, and accepts new
 * connections that are never answered (a server that hangs, not one that refuses); `restore()`
 * forwards new connections again.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `host:port` of the proxy. */
  readonly address: string;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let swallowing = false;
  const pairs = new Set<{ client: Socket; upstream?: Socket }>();
  const server = createServer((client) => {
    const pair: { client: Socket; upstream?: Socket } = { client };
    pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (swallowing) {
      client.resume(); // read and drop: the peer sees a server that accepted and never answers
      return;
    }
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      if (!swallowing) client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    blackhole() {
      swallowing = true;
      for (const pair of pairs) {
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.upstream?.destroy();
        pair.client.resume();
      }
    },
    restore() {
      swallowing = false;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `http://host:port` → its host and port (the Bot API root of the sandbox). */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.includes('://') ? url : `tcp://${url}`);
  return { host: u.hostname, port: Number(u.port) };
}
