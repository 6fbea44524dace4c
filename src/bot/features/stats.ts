/**
 * /stats [link] [days]: joins and join requests per UTC day as a chart (PNG, see bot/charts), with a
 * short summary under it: totals, top links, approval rate, median time to a decision, freshness.
 * Arguments come in any order: a number is the period in days, an invite link narrows to that
 * link, a `-100…` id or `@username` picks the chat in private.
 */
import { Composer, InputFile } from 'grammy';
import type { LinkRow } from '../../store/index.js';
import { chartLabels, renderDailyChart, type DayCount } from '../charts/daily-chart.js';
import type { AdminChat, BotContext } from '../context.js';
import type { Texts } from '../i18n/texts.js';
import { bold, clip, code, userText } from '../views/html.js';
import { answerLines, freshness, isChatRef, looksLikeLink, parsedArgs } from './common.js';
import { withLinkOrChat } from './link-lookup.js';

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 365;
const EXAMPLE = '/stats https://t.me/+AbCdEf0123 14';
/** Telegram's caption limit; the raw HTML is never shorter than the text Telegram counts. */
const CAPTION_LIMIT = 1024;

interface StatsArgs {
  days: number;
  link?: string | undefined;
  chat?: string | undefined;
}

export const statsFeature = new Composer<BotContext>();

statsFeature.command('stats', async (ctx) => {
  const args = await parsedArgs(ctx, EXAMPLE, (text) => parseStatsArgs(ctx.texts, text));
  if (args) await withLinkOrChat(ctx, args, EXAMPLE, (chat, link) => sendStats(ctx, chat, link, args.days));
});

/** The arguments, or a one-line explanation of what is wrong with them. */
export function parseStatsArgs(tx: Texts, text: string): StatsArgs | string {
  const out: StatsArgs = { days: DEFAULT_DAYS };
  let sawDays = false;
  for (const token of text.split(/\s+/).filter(Boolean)) {
    if (/^\d+d?$/i.test(token)) {
      const days = Number.parseInt(token, 10);
      if (sawDays) return tx.t('stats-days-twice');
      if (!(days >= 1 && days <= MAX_DAYS)) return tx.t('stats-days-range', { max: MAX_DAYS });
      out.days = days;
      sawDays = true;
    } else if (isChatRef(token)) {
      if (out.chat !== undefined) return tx.t('args-one-chat');
      out.chat = token;
    } else if (!looksLikeLink(token)) {
      return tx.t('stats-not-link-or-days', { token: clip(token, 40) });
    } else {
      if (out.link !== undefined) return tx.t('stats-one-link');
      out.link = token;
    }
  }
  return out;
}

async function sendStats(ctx: BotContext, chat: AdminChat, link: LinkRow | undefined, days: number): Promise<void> {
  const nowMs = ctx.deps.now();
  // Whole UTC days ending today: the store's window is (now - days, now].
  const endOfToday = Math.floor(nowMs / 86_400_000) * 86_400 + 86_399;
  const window = { days, now: endOfToday, ...(link ? { link: link.link } : {}) };
  const rows = mergeDays(ctx.store.stats.joinsPerDay(chat.id, window), ctx.store.stats.requestsPerDay(chat.id, window));
  const subject = link ? (link.title ?? link.link.replace('https://', '')) : chat.title;
  const png = await renderDailyChart({
    rows,
    endUnix: endOfToday,
    days,
    title: ctx.t('stats-chart-title', { subject: clipPlain(subject, 40), days }),
    labels: chartLabels(ctx.texts),
  });
  const summary = summaryLines(ctx, chat, link, rows, window);
  const caption = summary.join('\n');
  const fits = caption.length <= CAPTION_LIMIT;
  const photo = new InputFile(png, `joinwatch-stats-${days}d.png`);
  const sent = await ctx.deliver((chatId) =>
    ctx.api.sendPhoto(chatId, photo, fits ? { caption, parse_mode: 'HTML' } : {}),
  );
  if (sent !== undefined && !fits) await answerLines(ctx, summary);
}

function summaryLines(ctx: BotContext, chat: AdminChat, link: LinkRow | undefined, rows: DayCount[], window: { days: number; now: number; link?: string }): string[] {
  const joins = rows.reduce((s, r) => s + r.joins, 0);
  const requests = rows.reduce((s, r) => s + r.requests, 0);
  const head = link ? `${userText(chat.title)} · ${code(link.link)}${link.title ? ` ${userText(link.title, 32)}` : ''}` : userText(chat.title);
  const lines = [ctx.t('stats-head', { subject: head, days: window.days }), ctx.t('stats-totals', { joins, requests })];
  if (!link) {
    const top = ctx.store.stats.topLinks(chat.id, { days: window.days, now: window.now, limit: 3 });
    if (top.length > 0) {
      const links = top.map((t) => `${t.title ? userText(t.title, 24) : code(t.link.replace('https://', ''))} ${ctx.texts.number(t.joins)}`).join(', ');
      lines.push(ctx.t('stats-top-links', { links }));
    }
  }
  const d = ctx.store.stats.decisions(chat.id, window);
  if (d.approvalRate === null) lines.push(ctx.t('stats-no-decisions'));
  else lines.push(ctx.t('stats-approval', { percent: ctx.texts.percent(d.approvalRate), approved: d.approved, declined: d.declined, gone: d.gone }));
  if (d.medianDecisionSeconds !== null) lines.push(ctx.t('stats-median', { duration: formatDuration(ctx.texts, d.medianDecisionSeconds) }));
  lines.push(freshness(ctx, chat.id));
  return lines;
}

/** The store's two per-day lists as the chart's rows (days absent from both are filled later). */
export function mergeDays(joins: readonly { day: string; count: number }[], requests: readonly { day: string; requested: number }[]): DayCount[] {
  const byDay = new Map<string, DayCount>();
  for (const j of joins) byDay.set(j.day, { day: j.day, joins: j.count, requests: 0 });
  for (const r of requests) {
    const row = byDay.get(r.day) ?? { day: r.day, joins: 0, requests: 0 };
    row.requests = r.requested;
    byDay.set(r.day, row);
  }
  return [...byDay.values()];
}

/** "45 s", "12 min", "3 h 20 min", "2.5 days" (in the admin's language). */
export function formatDuration(tx: Texts, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return tx.t('duration-seconds', { count: s });
  if (s < 3600) return tx.t('duration-minutes', { count: Math.round(s / 60) });
  if (s < 48 * 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m === 0 ? tx.t('duration-hours', { hours: h }) : tx.t('duration-hours-minutes', { hours: h, minutes: m });
  }
  return tx.t('duration-days', { days: s / 86_400 });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Chart titles are SVG text, not HTML: vega escapes them for XML; here they are only cleaned
 * (control characters and lone surrogates would make the SVG invalid) and clipped.
 */
function clipPlain(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const points = Array.from(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(LONE_SURROGATE, '\uFFFD'));
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}
