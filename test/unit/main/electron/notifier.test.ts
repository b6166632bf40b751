import { beforeEach, describe, expect, it, vi } from 'vitest';
import { unreadText } from '../../../../main/core/notify/notification-text';
import { memoryLogger } from '../../../fakes/logger';
import { electronNotifier, showNotice } from '../../../../main/electron/notifier';
import { Notification, dialog, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

const unread = {
  hasTray: true,
  text: () => unreadText(0, 'en'),
  show: vi.fn(),
  windowOpened: vi.fn(),
};

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
    const text = unreadText(3, 'en');
    electronNotifier(vi.fn(), unread).setBadgeCount?.(3, text);
    expect(unread.show).toHaveBeenCalledWith(3, text);
  });
});

describe('showNotice', () => {
  it('is a notification where the desktop has them', () => {
    showNotice('Inlet is still running', 'It keeps receiving.', memoryLogger());
    expect(Notification.shown).toEqual([
      { title: 'Inlet is still running', body: 'It keeps receiving.' },
    ]);
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('is a message box where there are none, so the once-only notice is never lost', () => {
    Notification.isSupported.mockReturnValue(false);
    showNotice('Inlet is still running', 'It keeps receiving.', memoryLogger());
    expect(Notification.shown).toEqual([]);
    expect(dialog.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Inlet is still running', detail: 'It keeps receiving.' }),
    );
  });
});
