import { handlersNotUnderTest } from '../../../fakes/handlers';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../../../shared/domain/schemas';
import { eventContract, invokeContract } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../main/core/errors';
import { createEventBus } from '../../../../main/core/event-bus';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../main/core/links';
import {
  emitToRenderer,
  forwardEvents,
  registerInvokeHandlers,
} from '../../../../main/electron/ipc';
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

describe('emitToRenderer and forwardEvents', () => {
  const fakeWindow = () => new BrowserWindow({});
  const asElectron = (window: BrowserWindow) => window as unknown as ElectronWindow;

  it('sends an event to the page', () => {
    const win = fakeWindow();
    emitToRenderer(asElectron(win), 'app:statusChanged', STATUS);
    expect(win.webContents.send).toHaveBeenCalledWith('app:statusChanged', STATUS);
  });

  it('drops an event for a window that is gone instead of throwing', () => {
    const win = fakeWindow();
    win.isDestroyed.mockReturnValue(true);
    expect(() => emitToRenderer(asElectron(win), 'app:statusChanged', STATUS)).not.toThrow();
    const other = fakeWindow();
    other.webContents.isDestroyed.mockReturnValue(true);
    emitToRenderer(asElectron(other), 'app:statusChanged', STATUS);
    expect(win.webContents.send).not.toHaveBeenCalled();
    expect(other.webContents.send).not.toHaveBeenCalled();
  });

  it('forwards every event channel of the contract from the core, until unsubscribed', () => {
    const win = fakeWindow();
    const bus = createEventBus(memoryLogger());
    const stop = forwardEvents(bus, asElectron(win));
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
      expect(win.webContents.send).toHaveBeenLastCalledWith(channel, payload);
    }
    stop();
    bus.emit('app:statusChanged', STATUS);
    expect(win.webContents.send).toHaveBeenCalledTimes(Object.keys(payloads).length);
  });
});
