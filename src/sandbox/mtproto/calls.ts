/**
 * Per-method call counter ('messages.getChatInviteImporters': 12). Requests wrapped in
 * invokeWithLayer / initConnection count under their inner method. Tests and benchmarks read it
 * to prove how many round trips a sync cost.
 */
export class CallCounter {
  private counts = new Map<string, number>();

  add(method: string): number {
    const n = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, n);
    return n;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}

/** GramJS class name to Telegram method name: 'messages.GetChatInviteImporters' → 'messages.getChatInviteImporters'. */
export function methodName(className: string): string {
  const dot = className.lastIndexOf('.');
  const head = className.slice(0, dot + 1);
  const tail = className.slice(dot + 1);
  return head + tail.charAt(0).toLowerCase() + tail.slice(1);
}
