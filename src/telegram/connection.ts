/**
 * The TCPFull connection class every client uses. Two additions to GramJS's own:
 * - an optional forced address: GramJS ignores the session's port (it dials 80, or 443 with WSS),
 *   so reaching a server on any other port — the sandbox's — takes a constructor that forces it.
 *   GramJS builds a new instance of the same class on every reconnect, so it survives reconnects.
 * - a transport-error hook: when the server answers -404 (it does not know the auth key), GramJS
 *   only logs "Broken authorization key" and its pending initConnection never settles, so
 *   `connect()` would hang for ever. The hook lets `connectClient` fail at once instead.
 */
import { InvalidBufferError } from 'telegram/errors/Common.js';
import { ConnectionTCPFull } from 'telegram/network/connection/TCPFull.js';

type ConnectionArgs = ConstructorParameters<typeof ConnectionTCPFull>[0];

export interface ConnectionHooks {
  address?: { host: string; port: number } | undefined;
  /** A 4-byte transport error from the server, as a positive code (404, 429, …). */
  onTransportError?: ((code: number) => void) | undefined;
}

export function connectionClass(h: ConnectionHooks): typeof ConnectionTCPFull {
  return class JoinwatchTCPFull extends ConnectionTCPFull {
    constructor(args: ConnectionArgs) {
      super(h.address ? { ...args, ip: h.address.host, port: h.address.port } : args);
    }

    // GramJS leaves Nagle on: its small ack writes then wait for the peer's delayed ACK, which
    // doubled the time per page in the sync benchmark (client and server in two processes).
    override async _connect(): Promise<void> {
      await super._connect();
      (this.socket as unknown as { client?: { setNoDelay?(on: boolean): void } }).client?.setNoDelay?.(true);
    }

    override async _recv(): Promise<unknown> {
      let data: unknown;
      try {
        data = await super._recv();
      } catch (e) {
        // TCPFull reports a negative packet length (observed with -429) as this error.
        if (e instanceof InvalidBufferError && typeof e.code === 'number') h.onTransportError?.(Math.abs(e.code));
        throw e;
      }
      if (Buffer.isBuffer(data) && data.length === 4) h.onTransportError?.(Math.abs(data.readInt32LE(0)));
      return data;
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
