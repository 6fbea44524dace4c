/**
 * A Telegram RPC error as the sandbox answers it: `rpc_error{error_code, error_message}`.
 * Handlers throw these; the dispatcher turns them (and the world's WorldError) into the wire form.
 */
export class RpcFailure extends Error {
  constructor(
    public readonly code: number,
    public readonly rpc: string,
  ) {
    super(rpc);
    this.name = 'RpcFailure';
  }
}

export const badRequest = (rpc: string): RpcFailure => new RpcFailure(400, rpc);
export const unauthorized = (rpc = 'AUTH_KEY_UNREGISTERED'): RpcFailure => new RpcFailure(401, rpc);
export const forbidden = (rpc: string): RpcFailure => new RpcFailure(403, rpc);
export const floodWait = (seconds: number): RpcFailure => new RpcFailure(420, `FLOOD_WAIT_${seconds}`);

/** Error codes Telegram uses for world errors that are not plain 400s. */
const CODE_OF: Record<string, number> = {
  CHAT_WRITE_FORBIDDEN: 403,
  USER_DEACTIVATED: 401,
  SESSION_REVOKED: 401,
  AUTH_KEY_UNREGISTERED: 401,
};

export function failureFromRpcName(rpc: string): RpcFailure {
  return new RpcFailure(CODE_OF[rpc] ?? 400, rpc);
}
