import { describe, expect, it } from 'vitest';
import {
  consoleNotifier,
  memoryOnlyCipher,
  nodeBrowser,
} from '../../../../main/headless/node-adapters';
import { memoryLogger } from '../../../fakes/logger';

describe('memoryOnlyCipher', () => {
  it('reports no protection and refuses to seal or open anything', async () => {
    expect(memoryOnlyCipher.isAvailable()).toBe(false);
    await expect(memoryOnlyCipher.seal('IGAAsecret')).rejects.toMatchObject({
      code: 'VAULT_UNAVAILABLE',
    });
    await expect(memoryOnlyCipher.open('sealed')).rejects.toMatchObject({
      code: 'VAULT_UNAVAILABLE',
    });
  });
});

describe('consoleNotifier', () => {
  it('turns a notification into a log line without the message text', () => {
    const logger = memoryLogger();
    consoleNotifier(logger).notify('New message from Ada', 'Hello');
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'notification',
        fields: { title: 'New message from Ada' },
      },
    ]);
  });
});

describe('nodeBrowser', () => {
  it('prints the full address (state included) for the user to open', async () => {
    const lines: string[] = [];
    const url = new URL('https://www.instagram.com/oauth/authorize?client_id=1&state=abc123');
    await nodeBrowser((line) => lines.push(line)).open(url);
    expect(lines).toEqual([`inlet: open this address in your browser: ${url.href}`]);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ms-settings:'])(
    'refuses %s',
    async (href) => {
      const lines: string[] = [];
      await expect(
        nodeBrowser((line) => lines.push(line)).open(new URL(href)),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(lines).toEqual([]);
    },
  );
});
