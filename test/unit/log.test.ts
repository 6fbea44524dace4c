import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addLogSecrets, createLogger } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

const TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('createLogger', () => {
  it('redacts secret fields by name, at any depth', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.info({ botToken: 'abc', nested: { session: 'def', inner: { phone: '+100' } } }, 'hello');
    const out = lines.join('');
    expect(out).not.toMatch(/abc|def|\+100/);
    expect(out).toContain('[redacted]');
  });

  it('scrubs known secret values from messages, URLs and errors', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [TOKEN] });
    log.info({ url: `https://api.telegram.org/bot${TOKEN}/getMe` }, `calling ${TOKEN}`);
    log.error({ err: new Error(`request to bot${TOKEN} failed`) }, 'boom');
    const out = lines.join('');
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('bot[redacted]/getMe');
    expect(out).toContain('request to bot[redacted] failed');
  });

  it('redacts secret fields deeper than two levels, and every copy of a shared object', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [TOKEN] });
    const shared = { note: `bot${TOKEN}` };
    log.info({ a: { b: { c: { phone: '+15550100', authKey: Buffer.from('key') } } }, first: shared, second: shared }, 'deep');
    const out = lines.join('');
    expect(out).not.toMatch(/15550100|a2V5|"data":\[107/);
    expect(out).not.toContain(TOKEN);
    expect(JSON.parse(out).second).toEqual({ note: 'bot[redacted]' });
  });

  it('scrubs secrets inside class instances and objects with toJSON (URL), without throwing', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [TOKEN] });
    class Req {
      constructor(readonly target: string) {}
    }
    const values = {
      url: new URL(`https://api.telegram.org/bot${TOKEN}/getMe`),
      req: new Req(`/bot${TOKEN}/getUpdates`),
      buf: Buffer.from('ab'),
      signal: new AbortController().signal,
      params: new URLSearchParams({ token: TOKEN }),
    };
    expect(() => log.info(values, 'objects')).not.toThrow();
    const line = JSON.parse(lines.join(''));
    expect(line.url).toBe('https://api.telegram.org/bot[redacted]/getMe');
    expect(line.req).toEqual({ target: '/bot[redacted]/getUpdates' });
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('keeps what an error carries (its class, code, cause), scrubbed', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [TOKEN] });
    class FloodWait extends Error {
      readonly seconds = 42;
    }
    const err = Object.assign(new FloodWait(`flood for bot${TOKEN}`, { cause: new Error(`inner ${TOKEN}`) }), { code: 420 });
    log.error({ err }, 'failed');
    log.warn({ chat: -100n.toString(), kind: 'FloodWait', code: 'FLOOD_WAIT' }, 'chat sync failed');
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ type: 'FloodWait', message: expect.stringContaining('flood for bot[redacted]'), seconds: 42, code: 420 });
    expect(JSON.stringify(first)).toContain('inner [redacted]');
    expect(lines.join('')).not.toContain(TOKEN);
    expect(second.code).toBe('FLOOD_WAIT'); // an error code is diagnostics, not a login code
  });

  it('scrubs a secret learnt after the logger was made (a session read from its file), in children too', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    const child = log.child({ component: 'gramjs' });
    const session = '1BVtsOKABu0NFSESSIONSTRING';
    addLogSecrets(child, session);
    log.info(`saved ${session}`);
    child.info({ detail: `using ${session}` }, 'x');
    log.child({ token: 'bindings-secret', where: `at ${session}` }).info('bound');
    const out = lines.join('');
    expect(out).not.toContain(session);
    expect(out).not.toContain('bindings-secret');
    expect(out).toContain('saved [redacted]');
  });
});
