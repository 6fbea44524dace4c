/**
 * Connection-level methods: help.getConfig (what initConnection wraps on every connect) and
 * updates.getState (GramJS's "am I signed in?" probe, and the start of update handling).
 */
import { Api } from 'telegram';
import { openMethod, userMethod, type HandlerEntry, type UserContext } from '../context.js';

/** The sandbox is data center 2, reachable at the server's own address. */
export const SANDBOX_DC = 2;

function getConfig(_req: Api.help.GetConfig, ctx: UserContext): Api.Config {
  const now = Math.floor(Date.now() / 1000);
  return new Api.Config({
    date: now,
    expires: now + 3600,
    testMode: false,
    thisDc: SANDBOX_DC,
    dcOptions: [new Api.DcOption({ id: SANDBOX_DC, ipAddress: ctx.server.host, port: ctx.server.port })],
    dcTxtDomainName: 'sandbox.invalid',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: SANDBOX_DC,
  });
}

function getNearestDc(_req: Api.help.GetNearestDc): Api.NearestDc {
  return new Api.NearestDc({ country: 'XX', thisDc: SANDBOX_DC, nearestDc: SANDBOX_DC });
}

function getState(_req: Api.updates.GetState, ctx: UserContext): Api.updates.State {
  return new Api.updates.State({ pts: 1, qts: 0, date: ctx.server.world.now(), seq: 0, unreadCount: 0 });
}

export const connectionHandlers: [string, HandlerEntry][] = [
  openMethod(Api.help.GetConfig, getConfig),
  openMethod(Api.help.GetNearestDc, getNearestDc),
  userMethod(Api.updates.GetState, getState),
];
