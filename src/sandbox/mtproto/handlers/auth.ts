/**
 * Login on the not-yet-signed-in key: auth.sendCode → auth.signIn → (2FA) account.getPassword →
 * auth.checkPassword with a real SRP proof. The phone, code and password come from the
 * scenario's `login`; success binds the key to world.self.
 */
import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { openMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest, unauthorized } from '../errors.js';
import { challengeBytes, newChallenge, verifyProof } from '../srp.js';
import { big, toNative, userTl } from '../tl.js';
import type { LoginSpec } from '../../world-types.js';

const digits = (phone: string): string => phone.replace(/\D/g, '');

function loginSpec(ctx: UserContext): LoginSpec {
  const spec = ctx.server.world.loginSpec;
  if (!spec) throw badRequest('PHONE_NUMBER_INVALID');
  return spec;
}

function signedIn(ctx: UserContext): Api.auth.Authorization {
  const self = ctx.server.world.self;
  ctx.key.userId = self.id;
  ctx.key.revoked = false;
  ctx.key.login = {};
  return new Api.auth.Authorization({ user: userTl(self, self.id) });
}

function sendCode(req: Api.auth.SendCode, ctx: UserContext): Api.auth.SentCode {
  const spec = loginSpec(ctx);
  if (req.apiId !== ctx.server.apiId || req.apiHash !== ctx.server.apiHash) throw badRequest('API_ID_INVALID');
  if (spec.bannedPhones?.some((banned) => digits(banned) === digits(req.phoneNumber))) throw badRequest('PHONE_NUMBER_BANNED');
  if (digits(req.phoneNumber) !== digits(spec.phone)) throw badRequest('PHONE_NUMBER_INVALID');
  const phoneCodeHash = randomBytes(9).toString('hex');
  ctx.key.login = { phoneCodeHash };
  return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: spec.code.length }), phoneCodeHash });
}

function signIn(req: Api.auth.SignIn, ctx: UserContext): Api.auth.Authorization {
  const spec = loginSpec(ctx);
  if (digits(req.phoneNumber) !== digits(spec.phone)) throw badRequest('PHONE_NUMBER_INVALID');
  if (!ctx.key.login.phoneCodeHash || req.phoneCodeHash !== ctx.key.login.phoneCodeHash) throw badRequest('PHONE_CODE_EXPIRED');
  if (!req.phoneCode) throw badRequest('PHONE_CODE_EMPTY');
  if (req.phoneCode !== spec.code) throw badRequest('PHONE_CODE_INVALID');
  if (spec.password !== undefined) {
    ctx.key.login.codeAccepted = true;
    throw unauthorized('SESSION_PASSWORD_NEEDED');
  }
  return signedIn(ctx);
}

function getPassword(_req: Api.account.GetPassword, ctx: UserContext): Api.account.Password {
  const common = {
    newAlgo: new Api.PasswordKdfAlgoUnknown(),
    newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
    secureRandom: randomBytes(32),
  };
  const setup = ctx.server.password;
  if (!setup) return new Api.account.Password(common);
  const srp = newChallenge(setup);
  ctx.key.login.srp = srp;
  return new Api.account.Password({
    ...common,
    hasPassword: true,
    currentAlgo: setup.algo,
    srp_B: challengeBytes(srp),
    srpId: big(srp.id),
  });
}

function checkPassword(req: Api.auth.CheckPassword, ctx: UserContext): Api.auth.Authorization {
  const setup = ctx.server.password;
  if (!ctx.key.login.codeAccepted || !setup) throw unauthorized();
  const srp = ctx.key.login.srp;
  const proof = req.password;
  if (!(proof instanceof Api.InputCheckPasswordSRP)) throw badRequest('PASSWORD_HASH_INVALID');
  if (!srp || toNative(proof.srpId) !== srp.id) throw badRequest('SRP_ID_INVALID');
  // One challenge, one attempt: a retry must fetch fresh SRP parameters, as on Telegram.
  delete ctx.key.login.srp;
  if (!verifyProof(setup, srp, proof.A, proof.M1)) throw badRequest('PASSWORD_HASH_INVALID');
  return signedIn(ctx);
}

export const authHandlers: [string, HandlerEntry][] = [
  openMethod(Api.auth.SendCode, sendCode),
  openMethod(Api.auth.SignIn, signIn),
  openMethod(Api.account.GetPassword, getPassword),
  openMethod(Api.auth.CheckPassword, checkPassword),
];
