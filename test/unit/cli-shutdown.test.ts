/**
 * The stop on SIGINT / SIGTERM (src/cli/shutdown.ts): the first signal asks the command to wind
 * down, the deadline ends the process whatever still hangs, a second signal ends it at once.
 * Signals are emitted on `process` here; `exit` is a stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, interruptedCode, onShutdownSignals, within, type ShutdownSignals } from '../../src/cli/shutdown.js';

let s: ShutdownSignals | undefined;
afterEach(() => s?.dispose());

function harness(deadlineMs = 60_000) {
  const exits: number[] = [];
  const said: string[] = [];
  s = onShutdownSignals({ deadlineMs, say: (l) => said.push(l), exit: ((code: number) => void exits.push(code)) as (code: number) => never });
  return { exits, said };
}

describe('shutdown signals', () => {
  it('the first signal aborts the command\'s signal with its name and waits; a second one exits at once', async () => {
    const { exits, said } = harness();
    process.emit('SIGINT');
    expect(s!.signal.aborted).toBe(true);
    expect(await s!.requested).toBe('SIGINT');
    expect(interruptedCode(s!.signal)).toBe(130);
    expect(exits).toEqual([]);
    process.emit('SIGTERM');
    expect(exits).toEqual([143]);
    expect(said).toEqual(['SIGTERM again: exiting at once']);
  });

  it('whatever still hangs at the deadline, the process ends', async () => {
    const { exits, said } = harness(50);
    process.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 120));
    expect(exits).toEqual([143]);
    expect(said[0]).toMatch(/still stopping .* after SIGTERM: exiting now/);
  });

  it('codes are 128 + the signal; `within` waits at most its time and never throws', async () => {
    expect([codeOf('SIGINT'), codeOf('SIGTERM')]).toEqual([130, 143]);
    expect(await within(new Promise(() => undefined), 20)).toBe(false);
    expect(await within(Promise.reject(new Error('x')), 20)).toBe(true);
  });
});
