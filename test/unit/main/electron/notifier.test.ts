import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronNotifier } from '../../../../main/electron/notifier';
import { Notification, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

const unread = { show: vi.fn(), windowOpened: vi.fn() };

describe('electronNotifier', () => {
  it('shows an OS notification with the title and body', () => {
    electronNotifier(vi.fn(), unread).notify(
      'New message from Ada',
      'Is the blue one still available?',
    );
    expect(Notification.shown).toEqual([
      { title: 'New message from Ada', body: 'Is the blue one still available?' },
    ]);
  });

  it('brings the window forward, then runs the click handler, when the owner clicks it', () => {
    const calls: string[] = [];
    electronNotifier(() => calls.push('show window'), unread).notify('ada', 'Hello', () =>
      calls.push('open conversation'),
    );
    expect(calls).toEqual([]);
    Notification.instances[0]?.emit('click');
    expect(calls).toEqual(['show window', 'open conversation']);
  });

  it('does nothing where the desktop has no notifications', () => {
    Notification.isSupported.mockReturnValue(false);
    electronNotifier(vi.fn(), unread).notify('New message', 'Hello');
    expect(Notification.shown).toEqual([]);
  });

  it('hands the unread count and its words to the indicators', () => {
    const text = { description: '3 unread conversations', open: 'Open Inlet', quit: 'Quit' };
    electronNotifier(vi.fn(), unread).setBadgeCount?.(3, text);
    expect(unread.show).toHaveBeenCalledWith(3, text);
  });
});
