/**
 * How long each update takes to handle, by kind (message, callback_query, …), for the metrics
 * endpoint. Registered first, so it times everything after it: routing, access checks, the
 * feature, and the replies it awaits. An update that throws past the error boundary is timed too.
 */
import type { Context, MiddlewareFn } from 'grammy';
import type { Update } from 'grammy/types';

export type UpdateObserver = (kind: string, seconds: number) => void;

export function updateTiming<C extends Context>(observe: UpdateObserver): MiddlewareFn<C> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      observe(updateKind(ctx.update), (performance.now() - started) / 1000);
    }
  };
}

export function updateKind(update: Update): string {
  for (const key of Object.keys(update)) if (key !== 'update_id') return key;
  return 'unknown';
}
