import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronNotifier } from '../../../../main/electron/notifier';
import { Notification, app, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

describe('electronNotifier', () => {
  it('shows an OS notification with the title and body', () => {
    electronNotifier(vi.fn()).notify('New message from Ada', 'Is the blue one still available?');
    expect(Notification.shown).toEqual([
      { title: 'New message from Ada', body: 'Is the blue one still available?' },
    ]);
  });

  it('brings the window forward, then runs the click handler, when the owner clicks it', () => {
    const calls: string[] = [];
    electronNotifier(() => calls.push('show window')).notify('ada', 'Hello', () =>
      calls.push('open conversation'),
    );
    expect(calls).toEqual([]);
    Notification.instances[0]?.emit('click');
    expect(calls).toEqual(['show window', 'open conversation']);
  });

  it('does nothing where the desktop has no notifications', () => {
    Notification.isSupported.mockReturnValue(false);
    electronNotifier(vi.fn()).notify('New message', 'Hello');
    expect(Notification.shown).toEqual([]);
  });

  it('puts the unread count on the app icon', () => {
    electronNotifier(vi.fn()).setBadgeCount?.(3);
    expect(app.setBadgeCount).toHaveBeenCalledWith(3);
  });
});
