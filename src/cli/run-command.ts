/**
 * Runs one CLI action and turns its failure into a short message and an exit code, never a
 * stack trace: configuration problems exit 2, everything else 1.
 */
import { ConfigError, loadDotEnv } from '../config.js';

export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

export async function runCommand(action: () => Promise<void | number>): Promise<void> {
  try {
    loadDotEnv();
    const code = await action();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    process.exitCode = report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`joinwatch: configuration problem\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`joinwatch: ${message}\n`);
  if (process.env.JOINWATCH_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}
