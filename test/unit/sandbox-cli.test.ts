import { describe, expect, it } from 'vitest';
import { runSandboxCommand } from '../../src/sandbox/cli.js';
import { parseGenerateParams } from '../../src/sandbox/generate-scenario.js';

const stopNow = { out: () => {}, until: Promise.resolve() };

describe('joinwatch sandbox options', () => {
  it('with neither --world nor --generate, names both', async () => {
    await expect(runSandboxCommand(stopNow)).rejects.toThrow(/--world FILE or --generate/);
  });

  it.each([
    ['{"chats":1,"joins":"x"}', 'joins must be a non-negative integer, got "x"'],
    ['{"chats":-1}', 'chats must be a non-negative integer, got -1'],
    ['{"joins":1.5}', 'joins must be a non-negative integer, got 1.5'],
    ['{"hotLinkShare":2}', 'hotLinkShare must be a share from 0 to 1, got 2'],
    ['{"chats":1,"join":100}', 'unknown generator parameter "join"'],
    ['[1,2]', 'must be a JSON object'],
  ])('--generate %s is refused with one line naming the field', async (spec, message) => {
    const failure = runSandboxCommand({ ...stopNow, generate: spec });
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(/^--generate: [^\n]+$/);
  });

  it('accepts every documented parameter', () => {
    const params = { seed: 7, chats: 1, linksPerChat: 2, joins: 10, hotLinkShare: 0.5, pending: 3, equalDateShare: 0, burst: 1, trickyNameShare: 1, startDate: 1767225600, spanSeconds: 86400 };
    expect(parseGenerateParams(params)).toEqual(params);
  });

  it('a valid --generate starts the sandbox', async () => {
    const lines: string[] = [];
    await expect(runSandboxCommand({ generate: '{"chats":1,"joins":5,"pending":1}', out: (l) => lines.push(l), until: Promise.resolve() })).resolves.toBe(0);
    expect(JSON.parse(lines[0]!)).toHaveProperty('mtproto');
  });
});
