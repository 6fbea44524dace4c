import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { updateKind } from '../../src/bot/middlewares/update-timing.js';
import { longestCronGapSeconds } from '../../src/metrics/cron-gap.js';
import { assessHealth, notifyLimitSeconds, syncLimitSeconds, type HealthInput } from '../../src/metrics/health.js';
import { startOpsServer } from '../../src/metrics/server.js';

const NOW = 1_800_000_000;
const base = (over: Partial<HealthInput> = {}): HealthInput => ({
  nowMs: NOW * 1000,
  startedAtMs: (NOW - 60) * 1000,
  sync: { limitSeconds: 1000, sessionRevoked: false, chats: [{ chat: '-1001', title: 'Rust', lastSuccessAt: NOW - 300 }] },
  bot: { running: true, lastAnswerAtMs: (NOW - 5) * 1000, limitSeconds: 90 },
  notifications: { oldestUndeliveredAt: null, limitSeconds: 660 },
  ...over,
});

describe('assessHealth', () => {
  it('is ok when every part this process runs is within its limit, at the limit included', () => {
    expect(assessHealth(base())).toMatchObject({ status: 'ok', problems: [] });
    const edge = assessHealth(base({
      sync: { limitSeconds: 1000, sessionRevoked: false, chats: [{ chat: '-1001', title: null, lastSuccessAt: NOW - 1000 }] },
      bot: { running: true, lastAnswerAtMs: (NOW - 90) * 1000, limitSeconds: 90 },
      notifications: { oldestUndeliveredAt: NOW - 660, limitSeconds: 660 },
    }));
    expect(edge.status).toBe('ok');
  });

  it('names each failing part: an overdue chat, a stale poll, a notification waiting too long, a revoked session', () => {
    const r = assessHealth(base({
      sync: { limitSeconds: 1000, sessionRevoked: true, chats: [
        { chat: '-1001', title: 'Rust', lastSuccessAt: NOW - 1001 },
        { chat: '@go_chat', title: null, lastSuccessAt: NOW - 10 },
      ] },
      bot: { running: true, lastAnswerAtMs: (NOW - 91) * 1000, limitSeconds: 90 },
      notifications: { oldestUndeliveredAt: NOW - 4000, limitSeconds: 660 },
    }));
    expect(r.status).toBe('failing');
    expect(r.problems).toEqual([
      'Rust (-1001) last synced successfully 17 min ago, more than the 17 min its schedule allows',
      'Telegram revoked the userbot session: syncing stopped; run `joinwatch login` and restart',
      "the Bot API has not answered the bot's polling for 91 s",
      'the oldest undelivered notification is 67 min old (limit 11 min)',
    ]);
    expect(r.checks.sync).toMatchObject({ ok: false, chats: [{ chat: '-1001', ok: false, ageSeconds: 1001 }, { chat: '@go_chat', ok: true }] });
  });

  it('a chat never synced is fine while joinwatch is younger than the limit, overdue after', () => {
    const never = { limitSeconds: 1000, sessionRevoked: false, chats: [{ chat: '-1001', title: null, lastSuccessAt: null }] };
    expect(assessHealth(base({ sync: never, startedAtMs: (NOW - 999) * 1000 })).status).toBe('ok');
    const late = assessHealth(base({ sync: never, startedAtMs: (NOW - 1001) * 1000 }));
    expect(late.problems).toEqual(['-1001 has not synced successfully since joinwatch started 17 min ago']);
  });

  it('checks only the parts this process runs (a --no-sync process has no sync check)', () => {
    const r = assessHealth({ nowMs: NOW * 1000, startedAtMs: NOW * 1000, bot: { running: false, lastAnswerAtMs: NOW * 1000, limitSeconds: 90 } });
    expect(Object.keys(r.checks)).toEqual(['botPolling']);
    expect(r.problems).toEqual(['the bot stopped polling Telegram for updates']);
  });

  it('limits follow the schedule, the call budget and the notifier settings', () => {
    expect(longestCronGapSeconds('*/5 * * * *')).toBe(300);
    expect(longestCronGapSeconds('0 9-17 * * 1-5')).toBe(64 * 3600); // Friday 17:00 → Monday 09:00
    // Defaults: every 5 min, 5000 calls at 300/min (17 min) → 2 × 5 + 17 + 1 minutes.
    expect(syncLimitSeconds({ cronGapSeconds: 300, maxCallsPerCycle: 5000, maxCallsPerMinute: 300 })).toBe(28 * 60);
    expect(notifyLimitSeconds({ digestIntervalSeconds: 300, notifyIntervalSeconds: 30 })).toBe(660);
  });
});

describe('the ops server', () => {
  const ok = () => ({ status: 'ok' as const, problems: [], checks: {} });
  const metrics = async () => ({ contentType: 'text/plain; version=0.0.4', body: 'x 1\n' });

  it('serves /healthz and /metrics on 127.0.0.1, 503 when failing, and nothing else', async () => {
    let healthy = true;
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, health: () => (healthy ? ok() : { status: 'failing', problems: ['why'], checks: {} }), metrics });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      healthy = false;
      const failing = await fetch(`${server.url}/healthz`);
      expect(failing.status).toBe(503);
      expect(await failing.json()).toEqual({ status: 'failing', problems: ['why'], checks: {} });
      expect(await (await fetch(`${server.url}/metrics`)).text()).toBe('x 1\n');
      expect((await fetch(`${server.url}/`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.stop();
    }
  });

  it('a health check that throws is a 503, not a crash', async () => {
    const errors: unknown[] = [];
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, health: () => { throw new Error('db locked'); }, metrics, onError: (e) => errors.push(e) });
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(503);
      expect(errors).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('a port in use fails start-up with the error, not later', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await expect(startOpsServer({ host: '127.0.0.1', port, health: ok, metrics })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    blocker.close();
  });
});

describe('metrics settings', () => {
  it('METRICS_PORT is optional, METRICS_HOST defaults to loopback, bad values are named', () => {
    expect(loadConfig(['metrics'], {})).toEqual({ METRICS_HOST: '127.0.0.1' });
    expect(loadConfig(['metrics'], { METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toEqual({ METRICS_PORT: 9464, METRICS_HOST: '0.0.0.0' });
    expect(loadConfig(['metrics'], { METRICS_PORT: '', METRICS_HOST: '' })).toEqual({ METRICS_HOST: '127.0.0.1' });
    for (const bad of ['70000', 'http', '-1', '1.5']) {
      try {
        loadConfig(['metrics'], { METRICS_PORT: bad });
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect((e as ConfigError).problems).toEqual([`METRICS_PORT: expected a TCP port, 1 to 65535 (got "${bad}")`]);
      }
    }
    expect(() => loadConfig(['metrics'], { METRICS_HOST: 'http://x/' })).toThrow(/METRICS_HOST: expected an address to listen on/);
  });

  it('update kinds are the update field the Bot API set', () => {
    expect(updateKind({ update_id: 1, callback_query: {} } as never)).toBe('callback_query');
    expect(updateKind({ update_id: 1 } as never)).toBe('unknown');
  });
});
