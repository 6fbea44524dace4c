import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/sync/progress-bar.js';
import { reportCommandLogLevel } from '../../src/sync/run-once.js';

const p = (stored: number) => ({ chatId: -1001700000001n, link: 'https://t.me/+Big0000001', stored, total: 500_000 });

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => (out.push(s), true) } };
}

describe('backfill progress', () => {
  it('off a terminal: a plain line at most every 10 s, none for a short sync', () => {
    let t = 0;
    const { out, stream } = sink(false);
    const bar = progressBar(stream, () => t);
    bar.update(p(100));
    t = 9_999;
    bar.update(p(200));
    expect(out).toEqual([]);
    t = 10_000;
    bar.update(p(12_000));
    t = 15_000;
    bar.update(p(13_000));
    bar.clear();
    expect(out).toEqual(['backfilling https://t.me/+Big0000001: 12,000 / 500,000 joins\n']);
  });

  it('on a terminal: a bar redrawn in place, cleared at the end', () => {
    let t = 1_000;
    const { out, stream } = sink(true);
    const bar = progressBar(stream, () => t);
    bar.update(p(250_000));
    t += 50;
    bar.update(p(260_000)); // too soon: not redrawn
    bar.clear();
    expect(out).toEqual([`\r[${'#'.repeat(15)}${'.'.repeat(15)}] 250,000 / 500,000  https://t.me/+Big0000001\x1b[K`, '\r\x1b[K']);
  });

  it('a line printed while the bar is drawn goes above it, and the bar is drawn again below', () => {
    const { out, stream } = sink(true);
    const bar = progressBar(stream, () => 1_000);
    bar.print('before any bar\n');
    bar.update(p(250_000));
    const frame = out.at(-1);
    bar.print('WARN chat sync failed\n');
    expect(out).toEqual(['before any bar\n', frame, '\r\x1b[K', 'WARN chat sync failed\n', frame]);
  });
});

describe('log level of a command that prints its own report', () => {
  it('warnings only by default; LOG_LEVEL or --verbose bring the info lines back', () => {
    expect(reportCommandLogLevel('info', false, {})).toBe('warn');
    expect(reportCommandLogLevel('info', false, { LOG_LEVEL: ' ' })).toBe('warn');
    expect(reportCommandLogLevel('info', false, { LOG_LEVEL: 'info' })).toBe('info');
    expect(reportCommandLogLevel('error', false, { LOG_LEVEL: 'error' })).toBe('error');
    expect(reportCommandLogLevel('info', true, {})).toBe('info');
    expect(reportCommandLogLevel('debug', true, { LOG_LEVEL: 'debug' })).toBe('debug');
  });
});
