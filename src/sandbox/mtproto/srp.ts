/**
 * The server half of Telegram's 2FA check (SRP-6a, core.telegram.org/api/srp). The verifier
 * v = g^x mod p comes from GramJS's own `computeDigest`, so the client's `computeCheck` and this
 * file agree by construction; only B, u, S, K and M1 are computed here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { computeDigest } from 'telegram/Password.js';

/** Telegram's 2048-bit safe prime (the only one GramJS accepts), with g = 3. */
const PRIME_HEX =
  'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b';
const P_BYTES = Buffer.from(PRIME_HEX, 'hex');
const P = BigInt('0x' + PRIME_HEX);
const G = 3n;

export interface PasswordSetup {
  algo: Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow;
  v: bigint;
}

export interface SrpChallenge {
  id: bigint;
  b: bigint;
  B: bigint;
}

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const toBig = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt('0x' + b.toString('hex')));
const pad256 = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(512, '0'), 'hex');

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

export async function setupPassword(password: string): Promise<PasswordSetup> {
  const algo = new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
    salt1: randomBytes(40),
    salt2: randomBytes(16),
    g: Number(G),
    p: P_BYTES,
  });
  return { algo, v: toBig(await computeDigest(algo, password)) };
}

const k = toBig(sha256(P_BYTES, pad256(G)));

/** A fresh server half: B = k·v + g^b (mod p), remembered until auth.checkPassword. */
export function newChallenge(setup: PasswordSetup): SrpChallenge {
  const b = toBig(randomBytes(256));
  const B = (k * setup.v + modPow(G, b, P)) % P;
  return { id: randomBytes(8).readBigInt64LE(0), b, B };
}

export function challengeBytes(c: SrpChallenge): Buffer {
  return pad256(c.B);
}

/** True when the client's (A, M1) proves knowledge of the password. */
export function verifyProof(setup: PasswordSetup, c: SrpChallenge, aBytes: Buffer, m1: Buffer): boolean {
  const A = toBig(aBytes);
  if (A <= 0n || A >= P) return false;
  const aPad = pad256(A);
  const bPad = pad256(c.B);
  const u = toBig(sha256(aPad, bPad));
  if (u === 0n) return false;
  const S = modPow((A * modPow(setup.v, u, P)) % P, c.b, P);
  const K = sha256(pad256(S));
  const pSha = sha256(P_BYTES);
  const gSha = sha256(pad256(G));
  for (let i = 0; i < pSha.length; i++) pSha[i] = (pSha[i] ?? 0) ^ (gSha[i] ?? 0);
  const expected = sha256(pSha, sha256(setup.algo.salt1), sha256(setup.algo.salt2), aPad, bPad, K);
  return m1.length === expected.length && expected.equals(m1);
}
