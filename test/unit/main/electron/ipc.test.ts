import { handlersNotUnderTest } from '../../../fakes/handlers';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../../../shared/domain/schemas';
import { eventContract, invokeContract } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../main/core/errors';
import { createEventBus } from '../../../../main/core/event-bus';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../main/core/links';
import { forwardEvents, registerInvokeHandlers } from '../../../../main/electron/ipc';
import { EVENT_BATCH_CHANNEL } from '../../../../shared/ipc/event-batch';
import { memoryLogger } from '../../../fakes/logger';
import { appStatus } from '../../../fakes/status';
import { BrowserWindow, ipcMain, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const isAppUrl = createAppUrlCheck([APP_ORIGIN]);

const STATUS: AppStatus = appStatus();

function fakeHandlers() {
  const notUnderTest = () => Promise.reject(new Error('not under test'));
  return handlersNotUnderTest({
    'app:getStatus': vi.fn(() => Promise.resolve(STATUS)),
    'inbox:listConversations': vi.fn(notUnderTest),
    'inbox:listMessages': vi.fn(notUnderTest),
    'sending:sendText': vi.fn(notUnderTest),
    'inbox:markRead': vi.fn(() =>
      Promise.reject(new AppError('NOT_FOUND', 'No such conversation')),
    ),
  });
}

/** Calls the registered handler as Electron would for a frame at `frameUrl` (null: frame gone). */
function invokeFrom(frameUrl: string | null, channel: string, input?: unknown): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  const senderFrame = frameUrl === null ? null : { url: frameUrl };
  return Promise.resolve(handler({ senderFrame }, input));
}

beforeEach(() => resetElectronMock());

describe('registerInvokeHandlers', () => {
  it('handles exactly the channels of the contract', () => {
    registerInvokeHandlers(fakeHandlers(), isAppUrl, memoryLogger());
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(invokeContract).sort());
  });

  it('runs a command from our own page and wraps its value', async () => {
    const handlers = fakeHandlers();
    registerInvokeHandlers(handlers, isAppUrl, memoryLogger());
    await expect(invokeFrom('app://inlet/', 'app:getStatus')).resolves.toEqual({
      ok: true,
      value: STATUS,
    });
    expect(handlers['app:getStatus']).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a frame that navigated away (senderFrame is null)', null],
    ['a foreign https page', 'https://evil.example/'],
    ['a look-alike app host', 'app://inlet.evil/'],
    ['a file URL', 'file:///home/user/inlet/index.html'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
  ])('refuses %s as FORBIDDEN before any handler runs', async (_label, frameUrl) => {
    const handlers = fakeHandlers();
    const logger = memoryLogger();
    registerInvokeHandlers(handlers, isAppUrl, logger);
    await expect(invokeFrom(frameUrl, 'app:getStatus')).resolves.toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Unknown sender',
    });
    expect(handlers['app:getStatus']).not.toHaveBeenCalled();
    expect(logger.lines).toMatchObject([{ level: 'warn', fields: { channel: 'app:getStatus' } }]);
  });

  it('validates input through the shared dispatch (invalid input never reaches the handler)', async () => {
    const handlers = fakeHandlers();
    registerInvokeHandlers(handlers, isAppUrl, memoryLogger());
    const result = await invokeFrom('app://inlet/', 'sending:sendText', {
      conversationId: 'a:b',
      text: '  ',
    });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(handlers['sending:sendText']).not.toHaveBeenCalled();
  });

  it('turns a thrown AppError into a failure result instead of a rejected invoke', async () => {
    registerInvokeHandlers(fakeHandlers(), isAppUrl, memoryLogger());
    await expect(
      invokeFrom('app://inlet/', 'inbox:markRead', { conversationId: 'a:b' }),
    ).resolves.toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such conversation',
    });
  });

  it('removes every handler it registered when asked', () => {
    const unregister = registerInvokeHandlers(fakeHandlers(), isAppUrl, memoryLogger());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    // ...so the handlers can be registered again (Electron refuses a second handler per channel).
    expect(() => registerInvokeHandlers(fakeHandlers(), isAppUrl, memoryLogger())).not.toThrow();
  });
});

describe('forwardEvents', () => {
  const fakeWindow = () => new BrowserWindow({});
  const asElectron = (window: BrowserWindow) => window as unknown as ElectronWindow;
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('sends the events of one turn to the page as one batch, in order', async () => {
    const win = fakeWindow();
    const bus = createEventBus(memoryLogger());
    const forwarder = forwardEvents(bus, () => asElectron(win));
    bus.emit('app:statusChanged', STATUS);
    bus.emit('notifications:opened', { conversationId: 'c1' });
    expect(win.webContents.send).not.toHaveBeenCalled(); // at the end of the turn
    await nextTurn();
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
    expect(win.webContents.send).toHaveBeenCalledWith(EVENT_BATCH_CHANNEL, [
      ['app:statusChanged', STATUS],
      ['notifications:opened', { conversationId: 'c1' }],
    ]);
    bus.emit('notifications:opened', { conversationId: 'c2' });
    await nextTurn();
    expect(win.webContents.send).toHaveBeenCalledTimes(2);
    forwarder.stop();
  });

  it('flushes at once when asked, so an answer cannot overtake an event emitted before it', async () => {
    const win = fakeWindow();
    const bus = createEventBus(memoryLogger());
    const forwarder = forwardEvents(bus, () => asElectron(win));
    let flushedBeforeAnswer = false;
    registerInvokeHandlers(fakeHandlers(), isAppUrl, memoryLogger(), () => {
      forwarder.flush();
      flushedBeforeAnswer = vi.mocked(win.webContents.send).mock.calls.length === 1;
    });
    bus.emit('notifications:opened', { conversationId: 'c1' });
    await expect(invokeFrom(`${APP_ORIGIN}/`, 'app:getStatus')).resolves.toEqual({
      ok: true,
      value: STATUS,
    });
    expect(flushedBeforeAnswer).toBe(true);
    await nextTurn();
    expect(win.webContents.send).toHaveBeenCalledTimes(1); // nothing sent twice
    forwarder.stop();
  });

  it('drops a batch for a window that is not there or is gone instead of throwing', async () => {
    const bus = createEventBus(memoryLogger());
    const none = forwardEvents(bus, () => null);
    const destroyed = fakeWindow();
    destroyed.isDestroyed.mockReturnValue(true);
    const closing = fakeWindow();
    closing.webContents.isDestroyed.mockReturnValue(true);
    const others = [destroyed, closing].map((win) => forwardEvents(bus, () => asElectron(win)));
    bus.emit('app:statusChanged', STATUS);
    await expect(nextTurn()).resolves.toBeUndefined();
    expect(destroyed.webContents.send).not.toHaveBeenCalled();
    expect(closing.webContents.send).not.toHaveBeenCalled();
    [none, ...others].forEach((forwarder) => forwarder.stop());
  });

  it('forwards every event channel of the contract from the core, until stopped', async () => {
    const win = fakeWindow();
    const bus = createEventBus(memoryLogger());
    const forwarder = forwardEvents(bus, () => asElectron(win));
    const payloads = {
      'app:statusChanged': STATUS,
      'inbox:messageSaved': { message: { id: 'm1' }, conversation: { id: 'c1' } },
      'inbox:conversationSaved': { id: 'c1', customerName: 'Ada' },
      'inbox:messageDeleted': { messageId: 'm1', conversationId: 'c1' },
      'accounts:connectFinished': { ok: true, igUserId: '1784', username: 'acme' },
      'triage:changed': {
        conversationId: 'c1',
        doneAt: 1,
        snoozedUntil: null,
        labels: [],
        note: '',
      },
      'notifications:opened': { conversationId: 'c1' },
      'notifications:raised': { conversationId: 'c1', title: 'Ada', body: 'Hi' },
      'comments:saved': { id: '17867301270523379', accountId: '1784', text: 'Price?' },
      'health:changed': { overall: 'ok', checks: [] },
      'updates:stateChanged': { currentVersion: '0.1.0', phase: 'ready' },
    } as const;
    expect(Object.keys(payloads).sort()).toEqual(Object.keys(eventContract).sort());
    for (const [channel, payload] of Object.entries(payloads)) {
      bus.emit(channel as keyof typeof payloads, payload as never);
    }
    await nextTurn();
    expect(win.webContents.send).toHaveBeenCalledExactlyOnceWith(
      EVENT_BATCH_CHANNEL,
      Object.entries(payloads),
    );
    forwarder.stop();
    bus.emit('app:statusChanged', STATUS);
    await nextTurn();
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
  });
});
