import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageLog } from '../../../../../renderer/src/features/thread/MessageLog';
import { FakeInboxClient } from '../../fake-client';
import { MINUTE, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation();
const COUNT = 300;
/** A long thread of one day, a minute apart, alternating sides so no run joins two messages. */
const thread = Array.from({ length: COUNT }, (_, index) =>
  makeMessage({
    id: `m${index}`,
    mid: `mid_${index}`,
    conversationId: jane.id,
    direction: index % 2 === 0 ? 'in' : 'out',
    status: 'sent',
    text: `message ${index}`,
    at: NOW - (COUNT - index) * MINUTE,
  }),
);

const scrollIntoView = vi.fn();

// jsdom has no layout: the virtualizer falls back to estimated row heights and the window's
// height. The log's scroll height is the rows' total height it sets, and scrolling an element
// only records the offset and fires the event.
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const rows = this.querySelector<HTMLElement>(':scope > .message-log__rows');
      return rows === null ? 0 : Number.parseFloat(rows.style.height) || 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute('role') === 'log' ? window.innerHeight : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, options?: ScrollToOptions) {
      this.scrollTop = options?.top ?? this.scrollTop;
      this.dispatchEvent(new Event('scroll'));
    },
  });
  HTMLElement.prototype.scrollIntoView = scrollIntoView;
});
afterEach(() => {
  for (const name of ['scrollHeight', 'clientHeight', 'scrollTo', 'scrollIntoView']) {
    Reflect.deleteProperty(HTMLElement.prototype, name);
  }
});

async function renderLog() {
  const { store, client } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages: thread }),
    jane.id,
  );
  return { ...renderWithStore(<MessageLog conversationId={jane.id} />, store), store, client };
}

const renderedIds = () =>
  within(screen.getByRole('log', { name: 'Messages' }))
    .getAllByTestId('message')
    .map((bubble) => bubble.dataset['messageId']);

describe('MessageLog (virtualized)', () => {
  it('renders only the messages around the view of a long thread, opening at the newest', async () => {
    await renderLog();
    const ids = renderedIds();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(60);
    expect(ids.at(-1)).toBe(`m${COUNT - 1}`);
    // The rows keep the thread's order, and the day's label is there above them.
    const indexes = ids.map((id) => Number(id?.slice(1)));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(within(screen.getByRole('log')).getByRole('heading', { name: 'Today' })).toBeVisible();
  });

  it('puts a message that arrives into the log, so role=log announces it wherever the reader is', async () => {
    const { store } = await renderLog();
    const log = screen.getByRole('log');
    // The owner scrolls up to the start of the thread.
    act(() => log.scrollTo({ top: 0 }));
    await waitFor(() => expect(renderedIds()).toContain('m0'));

    const arrived = makeMessage({
      id: 'new',
      mid: 'mid_new',
      conversationId: jane.id,
      text: 'Is it still available?',
      at: NOW,
    });
    // As main's `inbox:messageSaved` event lands in the store.
    act(() => store.getState().applyMessageSaved({ message: arrived, conversation: jane }));
    await waitFor(() => expect(renderedIds()).toContain('new'));
    expect(renderedIds()).toContain('m0'); // the view stayed where the owner left it
    expect(within(log).getByText('Is it still available?')).toBeInTheDocument();
  });

  it('moves focus with arrow keys and Home/End, scrolling a message outside the window in first', async () => {
    const { user } = await renderLog();
    const log = screen.getByRole('log');
    act(() => log.scrollTo({ top: 0 }));
    await waitFor(() => expect(renderedIds()).toContain('m0'));
    const focused = () => (document.activeElement as HTMLElement | null)?.dataset['messageId'];

    log.focus();
    await user.keyboard('{End}');
    await waitFor(() => expect(focused()).toBe(`m${COUNT - 1}`));
    // The message before the newest one was not rendered (the view was at the top).
    await user.keyboard('{ArrowUp}');
    await waitFor(() => expect(focused()).toBe(`m${COUNT - 2}`));
    await user.keyboard('k');
    await waitFor(() => expect(focused()).toBe(`m${COUNT - 3}`));
    await user.keyboard('{Home}');
    await waitFor(() => expect(focused()).toBe('m0'));
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(focused()).toBe('m1'));
  });

  it('scrolls a message picked in search into view and focuses it, even if it was not rendered', async () => {
    const { store } = await renderLog();
    expect(renderedIds()).not.toContain('m5');

    act(() => store.setState({ focusedMessageId: 'm5' }));
    await waitFor(() =>
      expect((document.activeElement as HTMLElement | null)?.dataset['messageId']).toBe('m5'),
    );
    expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
  });

  it('prepends a page of older messages above the view without moving it', async () => {
    const client = new FakeInboxClient({ conversations: [jane], messages: thread });
    client.listMessages.mockImplementation(async ({ before }) =>
      before === undefined || before === null
        ? { messages: thread.slice(100), nextCursor: 'older' }
        : { messages: thread.slice(0, 100), nextCursor: null },
    );
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<MessageLog conversationId={jane.id} />, store);
    const log = screen.getByRole('log');
    act(() => log.scrollTo({ top: 0 }));
    const older = await within(log).findByRole('button', { name: 'Load earlier messages' });
    // Where the oldest loaded message sits in the view (rows are placed by translateY).
    const offsetInView = (id: string) => {
      const row = within(log)
        .getAllByTestId('message')
        .find((bubble) => bubble.dataset['messageId'] === id)
        ?.closest<HTMLElement>('[data-index]');
      return (
        Number.parseFloat(row?.style.transform.slice('translateY('.length) ?? 'NaN') - log.scrollTop
      );
    };
    const before = offsetInView('m100');

    await user.click(older);
    await waitFor(() => expect(store.getState().threads[jane.id]?.messageIds).toHaveLength(COUNT));
    await waitFor(() => expect(log.scrollTop).toBeGreaterThan(0));
    expect(offsetInView('m100')).toBe(before);
    expect(within(log).queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
  });
});
