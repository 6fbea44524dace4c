/**
 * GramJS ignores the session's port (it dials 80, or 443 with WSS), so reaching a server on any
 * other port — the sandbox's — takes a TCPFull connection class whose constructor forces the
 * address. GramJS builds a new instance of the same class on every reconnect, so the forced
 * address survives reconnects too.
 */
import { ConnectionTCPFull } from 'telegram/network/connection/TCPFull.js';

type ConnectionArgs = ConstructorParameters<typeof ConnectionTCPFull>[0];

export function connectionTo(host: string, port: number): typeof ConnectionTCPFull {
  return class ForcedAddressTCPFull extends ConnectionTCPFull {
    constructor(args: ConnectionArgs) {
      super({ ...args, ip: host, port });
    }

    // GramJS leaves Nagle on: its small ack writes then wait for the peer's delayed ACK, which
    // doubled the time per page in the sync benchmark (client and server in two processes).
    override async _connect(): Promise<void> {
      await super._connect();
      (this.socket as unknown as { client?: { setNoDelay?(on: boolean): void } }).client?.setNoDelay?.(true);
    }
  };
}

/** Parses 'host:port' (IPv6 as '[::1]:port'); undefined when it is not one. */
export function parseServer(server: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(server.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}
