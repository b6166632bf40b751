import { handlersNotUnderTest } from '../../../../fakes/handlers';
import { describe, expect, it, vi } from 'vitest';
import { dispatchInvoke, type InvokeHandlers } from '../../../../../main/core/ipc/dispatch';
import { AppError } from '../../../../../main/core/errors';
import { detail } from '../../../../../shared/domain/localized-text';
import { memoryLogger } from '../../../../fakes/logger';

function handlers(overrides: Partial<InvokeHandlers> = {}): InvokeHandlers {
  return handlersNotUnderTest(overrides);
}

describe('dispatchInvoke', () => {
  it('refuses a channel that is not in the contract', async () => {
    const result = await dispatchInvoke(handlers(), 'shell:openPath', {}, memoryLogger());
    expect(result).toEqual({ ok: false, code: 'FORBIDDEN', message: 'Unknown command' });
  });

  it('refuses a prototype key posing as a channel', async () => {
    const result = await dispatchInvoke(handlers(), 'constructor', {}, memoryLogger());
    expect(result.ok).toBe(false);
  });

  it('validates input before the handler runs', async () => {
    const sendText = vi.fn();
    const result = await dispatchInvoke(
      handlers({ 'sending:sendText': sendText }),
      'sending:sendText',
      { conversationId: 'a:b', text: '   ' },
      memoryLogger(),
    );
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(sendText).not.toHaveBeenCalled();
  });

  it('counts the text limit in UTF-8 bytes, not characters', async () => {
    const result = await dispatchInvoke(
      handlers(),
      'sending:sendText',
      { conversationId: 'a:b', text: '日'.repeat(334) }, // 1002 bytes, 334 characters
      memoryLogger(),
    );
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(result.ok === false && result.message).toContain('1000 bytes');
  });

  it('passes the parsed (trimmed) input and wraps the value', async () => {
    const markRead = vi.fn(() => Promise.resolve({ conversation: { id: 'x' } }));
    const result = await dispatchInvoke(
      handlers({ 'inbox:markRead': markRead as unknown as InvokeHandlers['inbox:markRead'] }),
      'inbox:markRead',
      { conversationId: 'a:b', extra: 'dropped' },
      memoryLogger(),
    );
    expect(markRead).toHaveBeenCalledWith({ conversationId: 'a:b' });
    expect(result).toEqual({ ok: true, value: { conversation: { id: 'x' } } });
  });

  it('keeps AppError codes and hides unknown errors behind INTERNAL with a log line', async () => {
    const logger = memoryLogger();
    const known = await dispatchInvoke(
      handlers({
        'app:getStatus': () => Promise.reject(new AppError('NOT_CONNECTED', 'Reconnect')),
      }),
      'app:getStatus',
      undefined,
      logger,
    );
    expect(known).toEqual({ ok: false, code: 'NOT_CONNECTED', message: 'Reconnect' });
    const unknown = await dispatchInvoke(
      handlers({ 'app:getStatus': () => Promise.reject(new TypeError('secret internals')) }),
      'app:getStatus',
      undefined,
      logger,
    );
    expect(unknown).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(JSON.stringify(unknown)).not.toContain('secret internals');
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('carries an AppError’s catalogue key and variables next to its English text', async () => {
    const refused = new AppError('INVALID_INPUT', 'Instagram accepts images of at most 8 MB.', {
      detail: detail('imageTooLarge', { megabytes: 8 }),
    });
    const result = await dispatchInvoke(
      handlers({ 'app:getStatus': () => Promise.reject(refused) }),
      'app:getStatus',
      undefined,
      memoryLogger(),
    );
    expect(result).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: 'Instagram accepts images of at most 8 MB.',
      detail: { key: 'errorDetail.imageTooLarge', vars: { megabytes: 8 } },
    });
  });
});
