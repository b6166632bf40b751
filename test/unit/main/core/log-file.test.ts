import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openRotatingLogFile } from '../../../../main/core/log-file';
import { createLogger } from '../../../../main/core/logger';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'inlet-log-file-'))));
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('the rotating log file', () => {
  it('receives what the logger writes, with secrets redacted as on stderr', () => {
    const file = openRotatingLogFile(dir);
    const logger = createLogger((line) => file.write(line), { now: () => 0 });
    logger.info('token refreshed via ?access_token=IGAAsecretvalue123&fields=id', {
      accessToken: 'IGAAabcdefghijkl',
      headers: { Authorization: 'Bearer abc.def.ghi' },
      signature: `sha256=${'b'.repeat(64)}`,
      verifyToken: 'verify-me-please',
      account: 'acme.studio',
    });
    file.close();
    const text = readFileSync(join(dir, 'inlet.log'), 'utf8');
    for (const secret of [
      'IGAAsecretvalue123',
      'IGAAabcdefghijkl',
      'abc.def.ghi',
      'b'.repeat(64),
      'verify-me-please',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('acme.studio');
    expect(statSync(join(dir, 'inlet.log')).mode & 0o777).toBe(0o600);
  });

  it('moves a full file aside and keeps three old ones', () => {
    const file = openRotatingLogFile(dir, { maxBytes: 100, keepOld: 3 });
    for (let n = 0; n < 40; n += 1)
      file.write(`line ${String(n).padStart(2, '0')} ${'x'.repeat(30)}`);
    file.close();
    expect(readdirSync(dir).sort()).toEqual([
      'inlet.1.log',
      'inlet.2.log',
      'inlet.3.log',
      'inlet.log',
    ]);
    for (const name of readdirSync(dir))
      expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(100);
    expect(readFileSync(join(dir, 'inlet.log'), 'utf8')).toContain('line 39');
    expect(readFileSync(join(dir, 'inlet.1.log'), 'utf8')).toContain('line 37');
  });

  it('keeps the newest lines for diagnostics', () => {
    const file = openRotatingLogFile(dir);
    for (let n = 0; n < 250; n += 1) file.write(`line ${n}`);
    file.close();
    const recent = file.recentLines();
    expect(recent).toHaveLength(200);
    expect(recent.at(0)).toBe('line 50');
    expect(recent.at(-1)).toBe('line 249');
  });

  it('keeps Inlet running, and says so once, when the log cannot be written', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    writeFileSync(join(dir, 'logs'), ''); // a file where the log folder should be
    const file = openRotatingLogFile(join(dir, 'logs'));
    expect(() => {
      file.write('first');
      file.write('second');
    }).not.toThrow();
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(file.recentLines()).toEqual(['first', 'second']);
  });
});
