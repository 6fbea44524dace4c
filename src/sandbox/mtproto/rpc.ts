/**
 * One RPC call: unwrap invokeWithLayer/initConnection, count it under its inner method, apply
 * faults (revocation, FLOOD_WAIT, delay), check sign-in, run the handler and produce the bytes
 * of the result or of an rpc_error. Every method answers — unknown ones with an rpc_error.
 */
import { Api } from 'telegram';
import { WorldError } from '../world.js';
import { methodName } from './calls.js';
import type { CallContext, HandlerTable } from './context.js';
import { refuseDeletedLink, withoutDeletedLinks } from './deleted-links.js';
import { RpcFailure, badRequest, failureFromRpcName, floodWait, unauthorized } from './errors.js';
import { adminLogHandlers } from './handlers/admin-log.js';
import { authHandlers } from './handlers/auth.js';
import { connectionHandlers } from './handlers/connection.js';
import { dialogHandlers } from './handlers/dialogs.js';
import { inviteHandlers } from './handlers/invites.js';
import { requestHandlers } from './handlers/requests.js';
import { userHandlers } from './handlers/users.js';

const HANDLERS: HandlerTable = new Map([
  ...connectionHandlers,
  ...authHandlers,
  ...userHandlers,
  ...dialogHandlers,
  ...inviteHandlers,
  ...requestHandlers,
  ...adminLogHandlers,
]);

interface Wrapper {
  className: string;
  query?: unknown;
}

/** Wrappers whose `query` is the real call. */
const WRAPPERS = new Set(['InvokeWithLayer', 'InitConnection', 'InvokeWithoutUpdates', 'InvokeAfterMsg', 'InvokeAfterMsgs']);

export function innerRequest(request: Wrapper): Wrapper {
  let r = request;
  while (WRAPPERS.has(r.className) && r.query && typeof r.query === 'object') r = r.query as Wrapper;
  return r;
}

export interface RpcOutcome {
  /** Serialized result object or rpc_error. */
  bytes: Buffer;
  method: string;
  failed?: RpcFailure;
  /** Answer with this transport error instead (-404: the server forgot the key). */
  transportError?: number;
}

export async function runRpc(request: Wrapper, ctx: CallContext): Promise<RpcOutcome> {
  const inner = innerRequest(request);
  const method = methodName(inner.className);
  const { server, key } = ctx;
  server.calls.add(method);
  const verdict = server.faults.onCall(method);
  if (verdict.revokeNow) server.keys.revokeSignedIn();
  if (verdict.forgetNow) {
    // From this call on the server does not know the key: -404, as Telegram answers it.
    server.keys.forgetSignedIn();
    return { bytes: Buffer.alloc(0), method, transportError: -404 };
  }
  try {
    const delay = server.faults.faults.delayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (key.revoked) throw unauthorized();
    if (verdict.floodSeconds !== undefined) throw floodWait(verdict.floodSeconds);
    const entry = HANDLERS.get(inner.className);
    if (!entry) throw badRequest('SANDBOX_METHOD_UNSUPPORTED');
    if (entry.needsUser && key.userId === undefined) throw unauthorized();
    refuseDeletedLink(inner, server.faults);
    const result = withoutDeletedLinks(await entry.run(inner, { ...ctx, me: key.userId ?? 0n }), server.faults);
    return { bytes: result.getBytes(), method };
  } catch (e) {
    const failure = toFailure(e);
    if (failure.rpc === 'SANDBOX_INTERNAL_ERROR') server.reportError(method, e);
    const bytes = new Api.RpcError({ errorCode: failure.code, errorMessage: failure.rpc }).getBytes();
    return { bytes, method, failed: failure };
  }
}

function toFailure(e: unknown): RpcFailure {
  if (e instanceof RpcFailure) return e;
  if (e instanceof WorldError) return failureFromRpcName(e.rpc);
  // A sandbox bug, not a Telegram answer: 400 (a 500 would make GramJS retry it five times).
  return new RpcFailure(400, 'SANDBOX_INTERNAL_ERROR');
}
