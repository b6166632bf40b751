import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  askForNotificationsOnce,
  titleWithUnread,
} from '../../../../../renderer/src/features/notifications/browser-notifications';
import { FakeInboxClient } from '../../fake-client';
import { makeConversation, makeMessage } from '../../fixtures';
import { renderApp } from '../../render-app';

const jane = makeConversation({ unreadCount: 2 });
const sam = makeConversation({
  customerId: '17841400000000002',
  customerUsername: 'sam.r',
  customerName: 'Sam',
});

/** The browser's Notification API, recording what the page shows and asks. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  onclick: (() => void) | null = null;
  readonly close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  FakeNotification.requestPermission.mockClear();
  vi.stubGlobal('Notification', FakeNotification);
  document.title = 'Inlet';
  const icon = document.createElement('link');
  icon.rel = 'icon';
  icon.href = '/favicon.svg';
  document.head.append(icon);
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.head.querySelector('link[rel="icon"]')?.remove();
});

describe('the browser UI', () => {
  it('shows the unread count in the tab title and icon, and updates it', async () => {
    const { client } = renderApp(new FakeInboxClient({ conversations: [jane, sam] }));
    await waitFor(() => expect(document.title).toBe('(1) Inlet'));
    const icon = document.head.querySelector('link[rel="icon"]');
    expect(icon).toHaveAttribute('href', '/favicon-unread.svg');
    act(() => client.emit('inbox:conversationSaved', { ...sam, unreadCount: 1 }));
    expect(document.title).toBe('(2) Inlet');
    act(() => client.emit('inbox:conversationSaved', { ...jane, unreadCount: 0 }));
    act(() => client.emit('inbox:conversationSaved', { ...sam, unreadCount: 0 }));
    expect(document.title).toBe('Inlet');
    expect(icon).toHaveAttribute('href', '/favicon.svg');
  });

  it('shows the notifications main raises; a click opens the conversation', async () => {
    const { client, store } = renderApp(new FakeInboxClient({ conversations: [jane, sam] }));
    await screen.findAllByTestId('conversation');
    act(() =>
      client.emit('notifications:raised', { conversationId: sam.id, title: 'Sam', body: 'Hi!' }),
    );
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([
      ['Sam', 'Hi!', sam.id],
    ]);
    act(() => FakeNotification.shown[0]?.onclick?.());
    expect(store.getState().selectedConversationId).toBe(sam.id);
    // Without permission nothing shows.
    FakeNotification.permission = 'denied';
    act(() =>
      client.emit('notifications:raised', { conversationId: sam.id, title: 'Sam', body: 'Hi!' }),
    );
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('asks for permission when the owner replies, not on load, and only while undecided', async () => {
    FakeNotification.permission = 'default';
    const client = new FakeInboxClient({
      conversations: [sam],
      messages: [makeMessage({ conversationId: sam.id, id: 's1', text: 'Is it handmade?' })],
    });
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: /sam\.r/ }));
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Yes!{Enter}');
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    FakeNotification.permission = 'granted';
    askForNotificationsOnce();
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('writes the count before the title', () => {
    expect(titleWithUnread('Inlet', 0)).toBe('Inlet');
    expect(titleWithUnread('Inlet', 12)).toBe('(12) Inlet');
  });
});
