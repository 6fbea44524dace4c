/**
 * /healthz and /metrics of a running joinwatch (real GramJS and grammY against the sandbox):
 * the metrics parse as Prometheus text and move with the sandbox's own call counter; health turns
 * 503 (saying why) when the sync is overdue, the session is revoked or the bot stops polling, and
 * 200 again once that is over.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { createActivity } from '../../src/sandbox/activity.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import type { World } from '../../src/sandbox/world.js';
import { parsePrometheusText, sumOf } from '../support/prometheus-text.js';

const logger = createLogger({ level: 'silent' });
let sandbox: Sandbox | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  await sandbox?.stop();
  app = undefined;
  sandbox = undefined;
});

async function start(world: World, dbPath: string): Promise<App> {
  sandbox = await startSandbox({ world });
  const env = { ...sandbox.env(), DATABASE_PATH: dbPath, WATCH_CHATS: world.chats().map((c) => `-100${c.id}`).join(','), METRICS_PORT: '0', LOG_LEVEL: 'silent' };
  app = await startApp({ env, logger, syncAtStart: false, registerMenus: false });
  return app;
}

async function get(path: string): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`${app?.ops?.url}${path}`);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

async function scrape() {
  const res = await get('/metrics');
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.text);
}

const health = async () => {
  const res = await get('/healthz');
  return { status: res.status, body: JSON.parse(res.text) as { status: string; problems: string[]; checks: Record<string, { ok: boolean }> } };
};

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'jw-ops-')), 'joinwatch.db');
const smallWorld = () => generateWorld({ seed: 21, chats: 1, linksPerChat: 5, joins: 600, pending: 40 });

describe('/metrics', () => {
  it('parses as Prometheus text and its Telegram call counters move with the sandbox call counter', async () => {
    const world = smallWorld();
    const a = await start(world, dbPath());
    expect(a.ops?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sb = sandbox!;
    const compare = async () => {
      const m = await scrape();
      const served = sb.calls();
      // A flood wait GramJS sleeps through is one call more on the wire: the answer, then the retry.
      expect(sumOf(m, 'joinwatch_telegram_calls_total', { method: 'listJoins' }) + sumOf(m, 'joinwatch_telegram_calls_total', { method: 'listRequests' }) +
        sumOf(m, 'joinwatch_telegram_flood_waits_total', { handling: 'slept' }))
        .toBe(served['messages.getChatInviteImporters'] ?? 0);
      expect(sumOf(m, 'joinwatch_telegram_calls_total', { method: 'listLinks' })).toBe(served['messages.getExportedChatInvites'] ?? 0);
      expect(sumOf(m, 'joinwatch_telegram_calls_total', { method: 'listAdminsWithLinks' })).toBe(served['messages.getAdminsWithInvites'] ?? 0);
      return m;
    };
    sb.resetCalls();
    const before = await compare();
    expect(sumOf(before, 'joinwatch_telegram_calls_total')).toBe(0);

    await a.syncAll();
    const first = await compare();
    expect(sumOf(first, 'joinwatch_telegram_calls_total', { outcome: 'ok' })).toBeGreaterThan(5);
    const storedJoins = Number(a.store.db.prepare('SELECT count(*) FROM joins').pluck().get());
    expect(sumOf(first, 'joinwatch_sync_rows_written_total', { kind: 'joins' })).toBe(storedJoins);
    expect(sumOf(first, 'joinwatch_sync_cycle_duration_seconds_count')).toBe(1);
    expect(sumOf(first, 'joinwatch_database_size_bytes')).toBe(a.store.vitals.databaseBytes());
    expect(first.some((s) => s.name === 'joinwatch_notification_lag_seconds')).toBe(true);
    expect(sumOf(first, 'joinwatch_sync_last_success_timestamp_seconds')).toBeGreaterThan(1_700_000_000);

    // More activity, and flood waits short enough for GramJS to sleep through: the counters follow.
    const chat = world.chats()[0]!;
    createActivity({ world, chatId: chat.id, joinsPerMinute: 300, requestsPerMinute: 60, seed: 3 }).step(60);
    sb.setFaults({ floodWait: [{ method: 'messages.getChatInviteImporters', every: 4, seconds: 1 }] });
    // The full reconcile pages the links (an ordinary cycle may find everything stored live already).
    await a.syncAll({ full: true });
    const second = await compare();
    expect(sumOf(second, 'joinwatch_telegram_calls_total')).toBeGreaterThan(sumOf(first, 'joinwatch_telegram_calls_total'));
    // The bot stored some of these joins as they happened (chat_member, counted as live events); the sync the rest.
    const joinsNow = Number(a.store.db.prepare('SELECT count(*) FROM joins').pluck().get());
    const liveJoins = sumOf(second, 'joinwatch_live_events_received_total', { kind: 'chat_member' });
    expect(liveJoins).toBeGreaterThan(0);
    expect(sumOf(second, 'joinwatch_sync_rows_written_total', { kind: 'joins' })).toBeLessThanOrEqual(joinsNow);
    expect(sumOf(second, 'joinwatch_sync_rows_written_total', { kind: 'joins' }) + liveJoins).toBeGreaterThanOrEqual(joinsNow);
    expect(sumOf(second, 'joinwatch_telegram_flood_waits_total', { handling: 'slept' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(second, 'joinwatch_telegram_flood_wait_seconds_total', { handling: 'slept' })).toBe(sumOf(second, 'joinwatch_telegram_flood_waits_total', { handling: 'slept' }));

    // A flood wait longer than GramJS sleeps defers the link, and is counted as such.
    createActivity({ world, chatId: chat.id, joinsPerMinute: 120, requestsPerMinute: 0, seed: 4, firstUserId: 30_000_000n }).step(60);
    sb.setFaults({ floodWait: [{ method: 'messages.getChatInviteImporters', every: 1, seconds: 3600 }] });
    await a.syncAll();
    const third = await compare();
    expect(sumOf(third, 'joinwatch_telegram_flood_waits_total', { handling: 'deferred' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(third, 'joinwatch_telegram_calls_total', { outcome: 'FloodWait' })).toBe(sumOf(third, 'joinwatch_telegram_flood_waits_total', { handling: 'deferred' }));
    sb.setFaults({ floodWait: [] });

    // The bot's update handling time, by kind.
    const after = sb.bot.cursor;
    sb.bot.message({ from: world.self.id, text: '/start' });
    await sb.bot.waitForSent(() => true, { after, timeoutMs: 20_000 });
    await expect.poll(async () => sumOf(await scrape(), 'joinwatch_bot_update_duration_seconds_count', { kind: 'message' })).toBe(1);
    // The live-event counter: the bot counts every chat_join_request it handled (the activity's requests above).
    const requestsSeen = sumOf(await scrape(), 'joinwatch_live_events_received_total', { kind: 'chat_join_request' });
    expect(requestsSeen).toBeGreaterThan(0);
    a.metrics?.liveEventReceived('chat_join_request');
    expect(sumOf(await scrape(), 'joinwatch_live_events_received_total', { kind: 'chat_join_request' })).toBe(requestsSeen + 1);
    expect((await get('/nothing')).status).toBe(404);
  });
});

describe('/healthz', () => {
  it('is 503 with the reason when the sync is overdue or the bot stops polling, 200 again after recovery', async () => {
    const a = await start(smallWorld(), dbPath());
    let h = await health();
    expect(h.status).toBe(200); // nothing synced yet, but joinwatch only just started
    expect(h.body.checks.sync?.ok).toBe(true);
    await a.syncAll();
    h = await health();
    expect(h).toMatchObject({ status: 200, body: { status: 'ok', problems: [] } });
    expect(Object.keys(h.body.checks).sort()).toEqual(['botPolling', 'notifications', 'session', 'sync']);

    // The last successful sync is now from long ago: overdue against SYNC_CRON and the call budget.
    a.store.db.prepare('UPDATE sync_runs SET finished_at = finished_at - 86400, started_at = started_at - 86400').run();
    h = await health();
    expect(h.status).toBe(503);
    expect(h.body.status).toBe('failing');
    expect(h.body.checks.sync?.ok).toBe(false);
    expect(h.body.problems.join('\n')).toMatch(/last synced successfully 24 h ago, more than the \d+ min its schedule allows/);
    await a.syncAll();
    expect((await health()).status).toBe(200);

    await a.polling?.stop();
    h = await health();
    expect(h.status).toBe(503);
    expect(h.body.problems).toContain('the bot stopped polling Telegram for updates');
  });

  it('is 503 once Telegram revokes the session, and 200 after a restart with a valid session', async () => {
    const world = smallWorld();
    const db = dbPath();
    const a = await start(world, db);
    await a.syncAll();
    sandbox!.revokeSessions();
    await a.syncAll();
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.body.checks.session).toEqual({ ok: false, revoked: true });
    expect(h.body.problems.join('\n')).toMatch(/revoked the userbot session/);
    expect(sumOf(await scrape(), 'joinwatch_telegram_session_revoked')).toBe(1);

    // The operator logs in again and restarts: same database, a session the server accepts.
    await app?.stop();
    await sandbox?.stop();
    const b = await start(world, db);
    await b.syncAll();
    const after = await health();
    expect(after.status).toBe(200);
    expect(after.body.checks.session).toEqual({ ok: true, revoked: false });
  });
});
