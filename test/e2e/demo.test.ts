import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;

describe('joinwatch demo (the README main command)', () => {
  it('syncs the bundled world and plays the admin tour to the end, offline', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'demo'], {
      env: { PATH: process.env.PATH ?? '' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The sync stored every chat's joins and requests.
    expect(stdout).toMatch(/Rust Learners: 12 links \(12 paged\), 2500 new joins, 400 new pending requests — \d+ calls, ok/);
    // Each scripted command got a real answer.
    expect(stdout).toMatch(/▶ admin: \/links\n {2}│ Which chat\?/);
    expect(stdout).toMatch(/Joiners 21–40/);
    expect(stdout).toMatch(/13 pending requests matching “ann”/); // one approved out of 14
    expect(stdout).toMatch(/📎 photo: .*\.png/);
    expect(stdout).toMatch(/📎 document: .*\.csv/);
    expect(stdout).toMatch(/Only admins of a chat joinwatch watches can use this\./);
    // The notifier sums the first sync up (never a digest of 400 people), then a raid: the bot
    // stored every join as it came, so the ordinary cycle after it reads the admin log's page and one
    // pending page, finds those joins stored already, and pages no link; and an alert.
    expect(stdout).toMatch(/📥 Initial import of Rust Learners: 12 invite links, 2,500 joins, 400 pending join requests\./);
    expect(stdout).not.toMatch(/new join requests in Rust Learners/);
    expect(stdout).toMatch(/Rust Learners: 0 links \(0 paged\), 0 new joins, 0 new pending requests — 2 calls/);
    expect(stdout).toMatch(/🚨 Possible raid in Rust Learners\n.*60 joins within 1 min/);
    expect(stdout).toMatch(/Tour done/);
    // Off a terminal the playable mode is not offered with a question (nobody could answer): named instead.
    expect(stdout).toMatch(/Play the admin yourself, .*: npm run demo -- --play\n$/);
    expect(stdout).not.toMatch(/something went wrong/);
  });
});
