import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../../../main/core/logger';

describe('logger redaction', () => {
  it('never writes tokens, secrets, codes, states or signatures', () => {
    const lines: string[] = [];
    const logger = createLogger((line) => lines.push(line), { now: () => 0 });
    logger.info(
      'calling https://graph.instagram.com/v24.0/me?access_token=IGAAsecretvalue123&fields=id',
      {
        accessToken: 'IGAAabcdefghijkl',
        headers: { Authorization: 'Bearer IGAAabcdefghijkl' },
        nested: { state: 'xyz', code: 'AQBx', client_secret: 'shh', keep: 'visible' },
        signature: 'sha256=' + 'a'.repeat(64),
        note: 'redirect ?code=AQBx-123&state=7f3c',
      },
    );
    const text = lines.join('\n');
    for (const secret of [
      'IGAAsecretvalue123',
      'IGAAabcdefghijkl',
      'xyz',
      'AQBx',
      'shh',
      'a'.repeat(64),
      '7f3c',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('visible');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'info',
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('redacts bearer tokens and IGAA tokens inside free text', () => {
    expect(redactText('Authorization: Bearer abc.def-ghi')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redactText('token IGAAQWERTYUIOP12 leaked')).toBe('token [redacted] leaked');
  });
});
