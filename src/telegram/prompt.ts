/**
 * Line prompts over node:readline that work the same on a terminal and on a pipe: answers are
 * queued as lines arrive (a test can write them all at once before any question is asked), and
 * on a terminal secret answers (code, password) are not echoed.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export class PromptClosedError extends Error {
  constructor(question: string) {
    super(`no answer for "${question.trim()}": the input ended`);
    this.name = 'PromptClosedError';
  }
}

export interface Prompter {
  ask(question: string, opts?: { secret?: boolean }): Promise<string>;
  say(line: string): void;
  close(): void;
  /** The input ended: no more answers will come. */
  readonly ended: boolean;
}

export function createPrompter(input: Readable = process.stdin, output: Writable = process.stdout): Prompter {
  const tty = (input as { isTTY?: boolean }).isTTY === true;
  let muted = false;
  const rl: Interface = createInterface({ input, output, terminal: tty });
  if (tty) {
    // readline echoes typed characters through _writeToOutput; swallow them while muted.
    const raw = rl as unknown as { _writeToOutput(s: string): void };
    const write = raw._writeToOutput.bind(rl);
    raw._writeToOutput = (s: string) => {
      if (!muted || s.includes('\n')) write(muted ? '\n' : s);
    };
  }
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    async ask(question, opts = {}) {
      output.write(question);
      muted = opts.secret === true && tty;
      const line = lines.shift() ?? (closed ? undefined : await new Promise<string | undefined>((resolve) => waiting.push(resolve)));
      muted = false;
      if (!tty) output.write('\n');
      if (line === undefined) throw new PromptClosedError(question);
      return line.trim();
    },
    say(line) {
      output.write(`${line}\n`);
    },
    close() {
      rl.close();
    },
    get ended() {
      return closed && lines.length === 0;
    },
  };
}
