import { Api, errors } from 'telegram';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sync/types.js';
import { mapErrors, toSourceError } from '../../src/telegram/errors.js';

const req = new Api.messages.GetChatInviteImporters({ peer: new Api.InputPeerEmpty(), offsetDate: 0, offsetUser: new Api.InputUserEmpty(), limit: 100 });
// Built the way GramJS builds them from an rpc_error (RPCMessageToError).
const rpc = (message: string, code: number) => errors.RPCMessageToError(new Api.RpcError({ errorCode: code, errorMessage: message }), req);

describe('GramJS errors become SourceErrors with a kind, in one place', () => {
  it.each([
    ['AUTH_KEY_UNREGISTERED', 401, 'SessionRevoked'],
    ['SESSION_REVOKED', 401, 'SessionRevoked'],
    ['USER_DEACTIVATED_BAN', 401, 'SessionRevoked'],
    ['SOMETHING_NEW_401', 401, 'SessionRevoked'],
    ['CHAT_ADMIN_REQUIRED', 400, 'NotPermitted'],
    ['ADMIN_ID_INVALID', 400, 'NotPermitted'],
    ['CHANNEL_PRIVATE', 406, 'NotPermitted'],
    ['CHAT_WRITE_FORBIDDEN', 403, 'NotPermitted'],
    ['INVITE_HASH_EXPIRED', 400, 'LinkGone'],
    ['CHANNEL_INVALID', 400, 'PeerInvalid'],
    ['PEER_ID_INVALID', 400, 'PeerInvalid'],
    ['RPC_CALL_FAIL', 500, 'Transient'],
  ])('%s (%i) is %s', (message, code, kind) => {
    const e = toSourceError(rpc(message, code));
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(message);
  });

  it('a flood wait keeps its seconds, whether GramJS made a FloodWaitError or not', () => {
    const flood = toSourceError(rpc('FLOOD_WAIT_3600', 420));
    expect(flood).toMatchObject({ kind: 'FloodWait', seconds: 3600 });
    expect(toSourceError(rpc('FLOOD_PREMIUM_WAIT_7', 420))).toMatchObject({ kind: 'FloodWait', seconds: 7 });
  });

  it('network failures are transient; a SourceError passes through unchanged', async () => {
    expect(toSourceError(new Error('Cannot send requests while disconnected')).kind).toBe('Transient');
    const same = new SourceError('LinkGone', 'INVITE_HASH_EXPIRED');
    expect(toSourceError(same)).toBe(same);
    await expect(mapErrors(async () => Promise.reject(rpc('CHAT_ADMIN_REQUIRED', 400)))).rejects.toMatchObject({ kind: 'NotPermitted' });
    expect(toSourceError('weird').kind).toBe('Transient');
  });
});
