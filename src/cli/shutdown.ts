/**
 * SIGINT / SIGTERM for the commands that run until stopped (start, sandbox) or for a while
 * (sync --once, demo). The first signal aborts `signal`, and the command winds down: it finishes
 * what is in flight for a moment, stops polling, closes the database. Whatever Telegram does,
 * the process is gone `deadlineMs` after that signal (a server that never answers must not keep
 * it alive), and a second signal ends it at once: an operator who presses Ctrl-C twice means it.
 */
import { constants } from 'node:os';

/** Within the 10 s an operator (or systemd's TimeoutStopSec) may expect, with room to spare. */
export const SHUTDOWN_DEADLINE_MS = 8_000;

export interface ShutdownSignals {
  /** Aborted at the first SIGINT / SIGTERM; its `reason` is the signal's name. */
  readonly signal: AbortSignal;
  /** Resolves with the signal's name at the first SIGINT / SIGTERM. */
  readonly requested: Promise<NodeJS.Signals>;
  /** 128 + the signal's number: the exit code of a command the signal interrupted. */
  exitCode(): number;
  /** Removes the handlers and the deadline (the command ended). */
  dispose(): void;
}

export interface ShutdownOptions {
  deadlineMs?: number;
  /** Where the "exiting now" lines go (stderr by default). */
  say?: (line: string) => void;
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => never;
}

/** 128 + the signal's number, the shell's exit code for a command a signal ended (SIGTERM: 143). */
export function codeOf(name: NodeJS.Signals): number {
  return 128 + (constants.signals[name] ?? constants.signals.SIGTERM);
}

/** The exit code of a command that `signal` (from `onShutdownSignals`) interrupted. */
export function interruptedCode(signal: AbortSignal): number {
  return codeOf(signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
}

export function onShutdownSignals(o: ShutdownOptions = {}): ShutdownSignals {
  const controller = new AbortController();
  const say = o.say ?? ((line: string) => void process.stderr.write(`joinwatch: ${line}\n`));
  const exit = o.exit ?? ((code: number): never => process.exit(code));
  let received: NodeJS.Signals | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let resolveRequested: (name: NodeJS.Signals) => void = () => undefined;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));

  const onSignal = (name: NodeJS.Signals): void => {
    if (received !== undefined) {
      say(`${name} again: exiting at once`);
      exit(codeOf(name));
      return;
    }
    received = name;
    // unref: a process that wound down by itself leaves at once; one held by a dead socket
    // is still ended by this timer.
    deadline = setTimeout(() => {
      say(`still stopping ${Math.round((o.deadlineMs ?? SHUTDOWN_DEADLINE_MS) / 1000)} s after ${name}: exiting now`);
      exit(codeOf(name));
    }, o.deadlineMs ?? SHUTDOWN_DEADLINE_MS).unref();
    controller.abort(name);
    resolveRequested(name);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    requested,
    exitCode: () => (received === undefined ? 0 : codeOf(received)),
    dispose() {
      clearTimeout(deadline);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Waits for `work` at most `ms`; resolves either way (true when it finished). For shutdown steps:
 * a step that hangs on a dead server must not hold up the ones after it.
 */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return finished;
}

/**
 * Runs a command that stops on SIGINT / SIGTERM. Once a signal has stopped it and it has wound
 * down, the process leaves at once with the command's exit code: a socket to a server that never
 * answers must not keep it alive until the deadline.
 */
export async function runStoppable<T>(run: (shutdown: ShutdownSignals) => Promise<T>): Promise<T> {
  const shutdown = onShutdownSignals();
  try {
    return await run(shutdown);
  } finally {
    shutdown.dispose();
    if (shutdown.signal.aborted) setImmediate(() => process.exit(process.exitCode ?? 0));
  }
}
