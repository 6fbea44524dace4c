import { describe, expect, it } from 'vitest';
import type { LinkRow } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';
import { linkEvents } from '../../src/sync/link-discovery.js';
import { planLink } from '../../src/sync/link-planner.js';
import type { SourceLink } from '../../src/sync/types.js';

const NOW = 1_767_225_600;
const link = (o: Partial<SourceLink> = {}): SourceLink => ({
  link: 'https://t.me/+AbCdEf0123', hash: 'AbCdEf0123', adminId: 1n, date: NOW - 100, permanent: false, revoked: false,
  requestNeeded: false, usage: 10, requested: 0, ...o,
});
const row = (o: Partial<LinkRow> = {}): LinkRow => ({
  chatId: -1001n, link: 'https://t.me/+AbCdEf0123', adminId: 1n, date: NOW - 100, startDate: null, expireDate: null, usageLimit: null,
  usage: 10, requested: 0, subscriptionExpired: null, title: null, subscriptionPeriod: null, subscriptionAmount: null, revoked: false,
  permanent: false, requestNeeded: false, firstSeen: NOW - 50, lastSeen: NOW - 50, syncedUsage: 10, syncedRequested: 0,
  hwm: { date: NOW - 10, userId: 5n }, backfill: null, backfillDone: true, deferredUntil: null, deferredReason: null, visible: true,
  goneAt: null, revokedAt: null, ...o,
} as LinkRow);

describe('planLink', () => {
  it('skips a link whose usage did not change', () => {
    expect(planLink(link(), row(), NOW)).toEqual({ action: 'skip', reason: 'unchanged' });
  });
  it('pages a changed link incrementally from its high-water mark', () => {
    expect(planLink(link({ usage: 13 }), row(), NOW)).toEqual({ action: 'incremental', mark: { date: NOW - 10, userId: 5n } });
  });
  it('backfills a new link, and resumes an interrupted backfill from its cursor', () => {
    expect(planLink(link(), undefined, NOW)).toEqual({ action: 'backfill', from: null });
    const cursor = { date: NOW - 500, userId: 77n };
    expect(planLink(link(), row({ backfillDone: false, backfill: cursor }), NOW)).toEqual({ action: 'backfill', from: cursor });
  });
  it('makes no call for a new link nobody joined', () => {
    expect(planLink(link({ usage: 0 }), row({ backfillDone: false, syncedUsage: null }), NOW)).toEqual({ action: 'skip', reason: 'empty' });
  });
  it('leaves a deferred link alone until its time, and a gone link for good', () => {
    expect(planLink(link({ usage: 99 }), row({ deferredUntil: NOW + 5, deferredReason: 'FLOOD_WAIT_900' }), NOW)).toMatchObject({ action: 'deferred', reason: 'FLOOD_WAIT_900' });
    expect(planLink(link({ usage: 99 }), row({ deferredUntil: NOW - 1 }), NOW).action).toBe('incremental');
    expect(planLink(link({ usage: 99 }), row({ goneAt: NOW - 1 }), NOW)).toEqual({ action: 'skip', reason: 'gone' });
  });
});

describe('linkEvents', () => {
  it('a new link is created; a newly revoked one revoked, once', () => {
    expect(linkEvents(link(), undefined, NOW)).toEqual([EventKind.LinkCreated]);
    expect(linkEvents(link({ revoked: true }), row(), NOW)).toEqual([EventKind.LinkRevoked]);
    expect(linkEvents(link({ revoked: true }), row({ revoked: true }), NOW)).toEqual([]);
  });
  it('near the usage limit when crossing 90 %, not again after', () => {
    expect(linkEvents(link({ usage: 90, usageLimit: 100 }), row({ usage: 89, usageLimit: 100 }), NOW)).toEqual([EventKind.LinkNearLimit]);
    expect(linkEvents(link({ usage: 95, usageLimit: 100 }), row({ usage: 90, usageLimit: 100 }), NOW)).toEqual([]);
  });
  it('expiring within a day, said once', () => {
    const exp = NOW + 3600;
    expect(linkEvents(link({ expireDate: exp }), row({ lastSeen: NOW - 2 * 86400 }), NOW)).toEqual([EventKind.LinkExpiring]);
    expect(linkEvents(link({ expireDate: exp }), row({ lastSeen: NOW - 60 }), NOW)).toEqual([]);
    expect(linkEvents(link({ expireDate: NOW - 1 }), row({ lastSeen: NOW - 2 * 86400 }), NOW)).toEqual([]);
  });
});
