/**
 * `joinwatch …` as a child process, the way an operator runs it (bin/joinwatch.js through tsx),
 * with its output captured: wait for a log line, signal it, and see when and how it ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once `text` (or a match of the pattern) has appeared in the output. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  signal(name: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal that ended it) and when it happened. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL if still running (test clean-up). */
  kill(): void;
}

export function runCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const l of listeners) l();
  });
  return {
    child,
    output: () => text,
    waitFor(match, timeoutMs = 30_000) {
      const seen = (): boolean => (typeof match === 'string' ? text.includes(match) : match.test(text));
      if (seen()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (seen()) finish(resolve);
          else if (done) finish(() => reject(new Error(`exited before printing ${String(match)}; output:\n${text}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${String(match)} within ${timeoutMs} ms; output:\n${text}`))), timeoutMs);
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
      });
    },
    signal: (name) => void child.kill(name),
    exited,
    kill: () => {
      if (!done) child.kill('SIGKILL');
    },
  };
}
