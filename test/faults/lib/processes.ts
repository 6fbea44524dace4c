/**
 * `joinwatch …` processes for the fault suite: started, killed (SIGKILL), restarted, stopped, with
 * every line they ever wrote kept for the log scan at the end.
 */
import { runCli, type CliProcess } from '../../e2e/cli-process.js';

/** Everything every process of the suite wrote, and the secrets it was given, for the secrets scan. */
export class LogSink {
  readonly outputs: { name: string; text: string }[] = [];
  readonly secrets: { name: string; value: string }[] = [];

  /** Secrets a part handed its processes (its sandbox's bot token and session). */
  given(secrets: readonly { name: string; value: string }[]): void {
    this.secrets.push(...secrets);
  }

  keep(name: string, p: CliProcess): void {
    void p.exited.then(() => this.outputs.push({ name, text: p.output() }));
  }

  add(name: string, text: string): void {
    this.outputs.push({ name, text });
  }
}

export interface Role {
  name: string;
  args: string[];
  /** What it prints once it is ready for the suite to go on. */
  ready: (string | RegExp)[];
}

export const ONE_PROCESS: Role[] = [{ name: 'start', args: ['start'], ready: ['joinwatch started', 'sync cycle done'] }];
export const SPLIT: Role[] = [
  { name: 'start --no-bot', args: ['start', '--no-bot'], ready: ['joinwatch started', 'sync cycle done'] },
  { name: 'start --no-sync', args: ['start', '--no-sync'], ready: ['joinwatch started'] },
];

export class Managed {
  proc: CliProcess | undefined;
  starts = 0;

  constructor(
    readonly role: Role,
    private readonly env: Record<string, string>,
    private readonly logs: LogSink,
  ) {}

  async start(timeoutMs = 60_000): Promise<void> {
    const p = runCli(this.role.args, this.env);
    this.proc = p;
    this.starts++;
    this.logs.keep(`${this.role.name} #${this.starts}`, p);
    for (const line of this.role.ready) await p.waitFor(line, timeoutMs);
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    p.signal('SIGKILL');
    await p.exited;
  }

  /** SIGTERM; resolves with how long it took and the exit code. */
  async stop(): Promise<{ ms: number; code: number | null }> {
    const p = this.proc;
    if (!p) return { ms: 0, code: 0 };
    const sent = Date.now();
    p.signal('SIGTERM');
    const end = await Promise.race([p.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
    if (!end) {
      p.kill();
      return { ms: 20_000, code: null };
    }
    return { ms: end.at - sent, code: end.code };
  }
}
