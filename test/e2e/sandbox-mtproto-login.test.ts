/**
 * `joinwatch login` against the sandbox: the real GramJS `client.start()` on the not-yet-signed-in
 * key, with the code and the 2FA password checked by SRP. Wrong ones come back as Telegram's
 * errors; before sign-in every other method answers AUTH_KEY_UNREGISTERED.
 */
import { Api } from 'telegram';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { baseScenario, rpcError, SELF, sessionUserId, startHarness, type Harness } from './sandbox-mtproto-fixture.js';

const LOGIN = { phone: '+1 555 000 1234', code: '24680', password: 'correct horse' };
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function answers(values: string[]): () => Promise<string> {
  let i = 0;
  return async () => values[Math.min(i++, values.length - 1)] as string;
}

async function login(x: Harness, codes: string[], passwords: string[]): Promise<string[]> {
  const errors: string[] = [];
  await x.client.start({
    phoneNumber: LOGIN.phone,
    phoneCode: answers(codes),
    password: answers(passwords),
    onError: async (e) => {
      errors.push((e as { errorMessage?: string }).errorMessage ?? e.message);
      return errors.length > 5; // keep trying with the next answer; give up on a loop
    },
  });
  return errors;
}

describe('sandbox MTProto login', () => {
  it('is AUTH_KEY_UNREGISTERED before sign-in, then signs in with code and 2FA password', async () => {
    h = await startHarness(World.fromScenario(baseScenario({ login: LOGIN })), { useLoginSession: true });
    expect((await rpcError(h.client.invoke(new Api.messages.GetDialogs({ offsetPeer: new Api.InputPeerEmpty(), limit: 10 })))).message).toBe(
      'AUTH_KEY_UNREGISTERED',
    );
    expect(await login(h, [LOGIN.code], [LOGIN.password])).toEqual([]);
    const me = (await h.client.getMe()) as Api.User;
    expect(me.id.toString()).toBe(SELF.toString());
    expect(await h.client.isUserAuthorized()).toBe(true);
    // The saved session works for a fresh client: the key is now bound to self.
    const saved = h.client.session.save() as unknown as string;
    expect(await sessionUserId({ apiId: h.server.apiId, apiHash: h.server.apiHash, session: saved, server: `127.0.0.1:${h.server.port}` })).toBe(SELF);
  });

  it('a wrong code is PHONE_CODE_INVALID and a wrong password PASSWORD_HASH_INVALID', async () => {
    h = await startHarness(World.fromScenario(baseScenario({ login: LOGIN })), { useLoginSession: true });
    const errors = await login(h, ['11111', LOGIN.code], ['wrong password', LOGIN.password]);
    expect(errors).toEqual(['PHONE_CODE_INVALID', 'PASSWORD_HASH_INVALID']);
    expect(await h.client.isUserAuthorized()).toBe(true);
  });

  it('signs in with the code alone when the scenario has no password', async () => {
    const { password: _unused, ...noPassword } = LOGIN;
    h = await startHarness(World.fromScenario(baseScenario({ login: noPassword })), { useLoginSession: true });
    expect(await login(h, [LOGIN.code], [])).toEqual([]);
    expect(((await h.client.getMe()) as Api.User).id.toString()).toBe(SELF.toString());
  });

  it('refuses a phone number other than the scenario\'s', async () => {
    h = await startHarness(World.fromScenario(baseScenario({ login: LOGIN })), { useLoginSession: true });
    const e = await rpcError(h.client.start({ phoneNumber: '+44 20 0000 0000', phoneCode: answers([LOGIN.code]), onError: async () => true }));
    expect(e.message).toBe('PHONE_NUMBER_INVALID');
  });
});
