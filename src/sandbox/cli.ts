/**
 * `joinwatch sandbox (--world FILE | --generate SPEC) [--mtproto-port N] [--bot-api-port N]`: starts both servers,
 * prints exactly one JSON line with what the product needs to connect, then runs until `until`
 * (SIGINT or SIGTERM). Errors (bad scenario, busy port) are thrown as one-line messages for runCommand.
 */
import { BENCH_PARAMS, demoParams, generateWorld, parseGenerateParams } from './generate-scenario.js';
import { startSandbox } from './sandbox.js';
import { World } from './world.js';

export interface SandboxCommandOptions {
  world?: string;
  /** Instead of a file: a generated world, `demo`, `bench`, or JSON GenerateParams. */
  generate?: string;
  mtprotoPort?: string | number;
  botApiPort?: string | number;
  /** Where the JSON line goes (tests); default stdout. */
  out?: (line: string) => void;
  /** Resolves to stop: the first SIGINT/SIGTERM (src/cli/shutdown.ts), or a test's promise. */
  until: Promise<unknown>;
}

function port(v: string | number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(v)}`);
  return n;
}

function generated(spec: string): World {
  if (spec === 'demo') return generateWorld(demoParams());
  if (spec === 'bench') return generateWorld(BENCH_PARAMS);
  let json: unknown;
  try {
    json = JSON.parse(spec);
  } catch {
    throw new Error(`--generate takes demo, bench or JSON parameters, got ${JSON.stringify(spec)}`);
  }
  try {
    return generateWorld(parseGenerateParams(json));
  } catch (e) {
    throw new Error(`--generate: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function runSandboxCommand(opts: SandboxCommandOptions): Promise<number> {
  const mtprotoPort = port(opts.mtprotoPort, '--mtproto-port');
  const botApiPort = port(opts.botApiPort, '--bot-api-port');
  if (!opts.world && !opts.generate) throw new Error('sandbox needs --world FILE or --generate demo|bench|JSON (see docs/sandbox.md)');
  const world = opts.generate ? generated(opts.generate) : await World.load(opts.world as string);
  const sandbox = await startSandbox({
    world, ...(mtprotoPort !== undefined ? { mtprotoPort } : {}), ...(botApiPort !== undefined ? { botApiPort } : {}),
  }).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EADDRINUSE' ? new Error(`port already in use: ${e.message}`) : e;
  });
  const line = JSON.stringify({
    mtproto: sandbox.mtproto, session: sandbox.session, loginSession: sandbox.loginSession, apiId: sandbox.apiId,
    apiHash: sandbox.apiHash, botToken: sandbox.botToken, botApiRoot: sandbox.botApiRoot,
  });
  (opts.out ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
  await opts.until;
  await sandbox.stop();
  return 0;
}
