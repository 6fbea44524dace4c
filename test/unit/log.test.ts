import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

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
});
