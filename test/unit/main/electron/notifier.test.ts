import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronNotifier } from '../../../../main/electron/notifier';
import { Notification, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

describe('electronNotifier', () => {
  it('shows an OS notification with the title and body', () => {
    electronNotifier.notify('New message from Ada', 'Is the blue one still available?');
    expect(Notification.shown).toEqual([
      { title: 'New message from Ada', body: 'Is the blue one still available?' },
    ]);
  });

  it('does nothing where the desktop has no notifications', () => {
    Notification.isSupported.mockReturnValue(false);
    electronNotifier.notify('New message', 'Hello');
    expect(Notification.shown).toEqual([]);
  });
});
