/**
 * The systemd units in deploy/ say what the README promises: a dedicated user, the database in a
 * StateDirectory, restart on failure, the hardening options; and systemd itself accepts them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DEPLOY = new URL('../../deploy/', import.meta.url).pathname;

/** Directive → values, per [Section], as systemd reads it (a key may repeat). */
function parseUnit(file: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of readFileSync(DEPLOY + file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = sections[section[1] as string] = {};
      continue;
    }
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`${file}: not a directive: ${line}`);
    (current[kv[1] as string] ??= []).push(kv[2] as string);
  }
  return sections;
}

describe('deploy/joinwatch.service', () => {
  const unit = parseUnit('joinwatch.service');
  const service = unit.Service ?? {};
  const one = (key: string) => service[key]?.at(-1);

  it('runs `joinwatch start` as a dedicated user, with the database and session in its StateDirectory', () => {
    expect(one('User')).toBe('joinwatch');
    expect(one('ExecStart')).toMatch(/\/bin\/joinwatch\.js start$/);
    expect(one('StateDirectory')).toBe('joinwatch');
    expect(service.Environment).toEqual(expect.arrayContaining(['DATABASE_PATH=/var/lib/joinwatch/joinwatch.db', 'TELEGRAM_SESSION_FILE=/var/lib/joinwatch/session']));
    expect(one('UMask')).toBe('0077');
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });

  it('restarts on failure but not on a configuration error (exit 2), and stops within its timeout', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe('2');
    expect(one('TimeoutStopSec')).toBe('30s');
  });

  it('is hardened: no new privileges, a read-only system, a private temp directory', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    // V8 needs writable executable memory: this option would kill node at start.
    expect(service.MemoryDenyWriteExecute).toBeUndefined();
  });

  it('the nightly backup runs `joinwatch backup` into the state directory, one file per weekday', () => {
    const backup = parseUnit('joinwatch-backup.service').Service ?? {};
    expect(backup.ExecStart?.[0]).toContain('joinwatch.js backup "/var/lib/joinwatch/backups/joinwatch-$(date +%%a).db"');
    expect(backup.User).toEqual(['joinwatch']);
    expect(backup.StateDirectory).toEqual(['joinwatch joinwatch/backups']);
    expect(parseUnit('joinwatch-backup.timer').Timer?.OnCalendar).toEqual(['*-*-* 03:30:00']);
  });

  it('systemd accepts the units (systemd-analyze verify: no warning)', () => {
    const tool = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);
    expect(tool, 'systemd-analyze is part of this machine image (systemd)').toBeDefined();
    const files = ['joinwatch.service', 'joinwatch-backup.service', 'joinwatch-backup.timer'].map((f) => DEPLOY + f);
    const verify = spawnSync(tool as string, ['verify', ...files], { encoding: 'utf8' });
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(verify.status).toBe(0);
  });
});
