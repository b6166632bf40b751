import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HIGHLIGHT_MS, MessageLog } from '../../../../../renderer/src/features/thread/MessageLog';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
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
  const view = renderWithStore(<MessageLog conversationId={jane.id} />, store);
  await openingScrollDone();
  return { ...view, store, client };
}

/**
 * The log opens with a scroll to the newest message that the virtualizer keeps re-applying until
 * it has held for a couple of frames; a scroll the test makes before then would be undone.
 */
async function openingScrollDone() {
  const log = screen.getByRole('log');
  await waitFor(() => expect(log.scrollTop).toBe(log.scrollHeight - log.clientHeight));
  await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
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
    act(() => store.getState().applyMessagesSaved([{ message: arrived, conversation: jane }]));
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
    expect(renderedIds()).toContain('m5');
    const log = screen.getByRole('log');
    expect(log.scrollTop).toBeLessThan(log.scrollHeight / 10); // far from the newest, at m5
  });

  it('lands on a search result picked as the log opens, not undone by the opening scroll', async () => {
    const { store } = await storeWith(
      new FakeInboxClient({ conversations: [jane], messages: thread }),
      jane.id,
    );
    store.setState({ focusedMessageId: 'm5' });
    renderWithStore(<MessageLog conversationId={jane.id} />, store);
    await waitFor(() =>
      expect((document.activeElement as HTMLElement | null)?.dataset['messageId']).toBe('m5'),
    );
    // Long enough for the opening scroll to the newest message to have settled, had it won.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)));
    const log = screen.getByRole('log');
    expect(log.scrollTop).toBeLessThan(log.scrollHeight / 10);
    expect(renderedIds()).toContain('m5');
  });

  it('highlights the message found by search for a moment, keeping the focus on it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { store } = await renderLog();
      act(() => store.setState({ focusedMessageId: 'm5' }));
      const bubble = () =>
        within(screen.getByRole('log'))
          .getAllByTestId('message')
          .find((element) => element.dataset['messageId'] === 'm5');
      await waitFor(() => expect(bubble()).toHaveAttribute('data-highlighted', 'true'));
      act(() => void vi.advanceTimersByTime(HIGHLIGHT_MS));
      expect(bubble()).not.toHaveAttribute('data-highlighted');
      expect(store.getState().focusedMessageId).toBeNull();
      expect(document.activeElement).toBe(bubble());
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads the older page by itself near the top, without moving the view or loading twice', async () => {
    const client = new FakeInboxClient({ conversations: [jane], messages: thread });
    let answerOlder: () => void = () => undefined;
    client.inbox.listMessages.mockImplementation(({ before }) =>
      before === undefined || before === null
        ? Promise.resolve({ messages: thread.slice(100), nextCursor: 'older' })
        : new Promise((resolve) => {
            answerOlder = () => resolve({ messages: thread.slice(0, 100), nextCursor: null });
          }),
    );
    const { store } = await storeWith(client, jane.id);
    renderWithStore(<MessageLog conversationId={jane.id} />, store);
    await openingScrollDone();
    const log = screen.getByRole('log');
    const olderCalls = () => client.inbox.listMessages.mock.calls.filter(([input]) => input.before);
    // Opening at the newest message is not "near the top", whatever the scroll passed through.
    expect(olderCalls()).toHaveLength(0);

    act(() => log.scrollTo({ top: 0 }));
    await waitFor(() => expect(renderedIds()).toContain('m100'));
    const before = offsetInView(log, 'm100');
    expect(olderCalls()).toHaveLength(1);
    // While that page is on its way the button says so, and more scrolling asks for nothing.
    expect(within(log).getByRole('button', { name: 'Loading earlier messages…' })).toBeDisabled();
    act(() => log.scrollTo({ top: 10 }));
    act(() => log.scrollTo({ top: 0 }));
    expect(olderCalls()).toHaveLength(1);

    await act(async () => answerOlder());
    await waitFor(() => expect(store.getState().threads[jane.id]?.messageIds).toHaveLength(COUNT));
    await waitFor(() => expect(log.scrollTop).toBeGreaterThan(0));
    // The virtualizer re-anchors over a few frames once the older rows are measured; on a busy
    // machine the first scroll event may come before the last of them.
    await waitFor(() => expect(offsetInView(log, 'm100')).toBe(before));
    // The start of the thread: no button, and reaching the top asks for nothing more.
    expect(within(log).queryByRole('button', { name: /earlier messages/ })).toBeNull();
    act(() => log.scrollTo({ top: 0 }));
    expect(olderCalls()).toHaveLength(1);
  });

  it('does not retry a failed automatic load on every scroll; the button tries again', async () => {
    const client = new FakeInboxClient({ conversations: [jane], messages: thread });
    let failOlder = true;
    client.inbox.listMessages.mockImplementation(async ({ before }) => {
      if (before === undefined || before === null)
        return { messages: thread.slice(100), nextCursor: 'older' };
      if (failOlder) throw new Error('main is restarting');
      return { messages: thread.slice(0, 100), nextCursor: null };
    });
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<MessageLog conversationId={jane.id} />, store);
    await openingScrollDone();
    const log = screen.getByRole('log');
    const olderCalls = () => client.inbox.listMessages.mock.calls.filter(([input]) => input.before);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    act(() => log.scrollTo({ top: 0 }));
    const button = await within(log).findByRole('button', { name: 'Load earlier messages' });
    expect(olderCalls()).toHaveLength(1);
    act(() => log.scrollTo({ top: 20 }));
    act(() => log.scrollTo({ top: 0 }));
    expect(olderCalls()).toHaveLength(1);

    failOlder = false;
    await user.click(button);
    await waitFor(() => expect(store.getState().threads[jane.id]?.messageIds).toHaveLength(COUNT));
    expect(olderCalls()).toHaveLength(2);
  });
});

describe('MessageLog "new messages" pill', () => {
  const arrive = (store: Awaited<ReturnType<typeof renderLog>>['store'], id: string, at = NOW) =>
    act(() =>
      store.getState().applyMessagesSaved([
        {
          message: makeMessage({ id, mid: `mid_${id}`, conversationId: jane.id, text: id, at }),
          conversation: jane,
        },
      ]),
    );
  const bottomOf = (log: HTMLElement) => log.scrollHeight - log.clientHeight;
  const pill = () => screen.queryByRole('button', { name: /new messages?/ });

  it('counts messages that arrive while the owner reads further up, without moving the view', async () => {
    const { store } = await renderLog();
    const log = screen.getByRole('log');
    await waitFor(() => expect(log.scrollTop).toBe(bottomOf(log)));
    act(() => log.scrollTo({ top: 5000 }));
    await waitFor(() => expect(renderedIds()).toContain('m80'));
    const before = offsetInView(log, 'm80');

    arrive(store, 'new1');
    expect(await screen.findByRole('button', { name: '1 new message' })).toBeVisible();
    arrive(store, 'new2', NOW + 1);
    expect(screen.getByRole('button', { name: '2 new messages' })).toBeVisible();
    // Announced politely, from a region that was already there before the pill appeared.
    expect(pill()?.parentElement).toHaveAttribute('aria-live', 'polite');
    expect(log.scrollTop).toBe(5000);
    expect(offsetInView(log, 'm80')).toBe(before);
    // An update to a message already there (a reaction, "Seen") is not a new message.
    act(() =>
      store.getState().applyMessagesSaved([
        {
          message: { ...thread[COUNT - 1]!, reactions: [{ by: 'customer', emoji: '❤️' }] },
          conversation: jane,
        },
      ]),
    );
    expect(screen.getByRole('button', { name: '2 new messages' })).toBeVisible();
  });

  it('goes to the newest message and away when clicked, leaving focus in the thread', async () => {
    const { store, user } = await renderLog();
    const log = screen.getByRole('log');
    act(() => log.scrollTo({ top: 5000 }));
    arrive(store, 'new1');
    await user.click(await screen.findByRole('button', { name: '1 new message' }));
    await waitFor(() => expect(log.scrollTop).toBe(bottomOf(log)));
    expect(pill()).toBeNull();
    expect(renderedIds()).toContain('new1');
    expect(log).toHaveFocus();
  });

  it('goes away when the owner scrolls back to the bottom by hand', async () => {
    const { store } = await renderLog();
    const log = screen.getByRole('log');
    act(() => log.scrollTo({ top: 5000 }));
    arrive(store, 'new1');
    await screen.findByRole('button', { name: '1 new message' });
    act(() => log.scrollTo({ top: bottomOf(log) }));
    expect(pill()).toBeNull();
    // Back at the bottom the log follows again, and there is nothing to count.
    arrive(store, 'new2', NOW + 1);
    await waitFor(() => expect(log.scrollTop).toBe(bottomOf(log)));
    expect(pill()).toBeNull();
  });

  it('follows new messages at the bottom with no pill', async () => {
    const { store } = await renderLog();
    const log = screen.getByRole('log');
    await waitFor(() => expect(log.scrollTop).toBe(bottomOf(log)));
    const bottom = log.scrollTop;
    arrive(store, 'new1');
    await waitFor(() => expect(log.scrollTop).toBeGreaterThan(bottom));
    expect(log.scrollTop).toBe(bottomOf(log));
    expect(pill()).toBeNull();
  });

  it("scrolls to the owner's own reply wherever they had scrolled to", async () => {
    const { store, client } = await storeWith(
      new FakeInboxClient({ conversations: [jane], messages: thread }),
      jane.id,
    );
    const { user } = renderWithStore(<Thread />, store);
    await openingScrollDone();
    const log = screen.getByRole('log');
    act(() => log.scrollTo({ top: 5000 }));
    arrive(store, 'new1');
    await screen.findByRole('button', { name: '1 new message' });

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'On its way!{Enter}');
    await waitFor(() => expect(client.sending.sendText).toHaveBeenCalled());
    await waitFor(() => expect(log.scrollTop).toBe(bottomOf(log)));
    await waitFor(() => expect(within(log).getByText('On its way!')).toBeInTheDocument());
    expect(pill()).toBeNull();
  });
});

/** Where a rendered message's row sits below the top of the view (rows are placed by translateY). */
function offsetInView(log: HTMLElement, id: string): number {
  const row = within(log)
    .getAllByTestId('message')
    .find((bubble) => bubble.dataset['messageId'] === id)
    ?.closest<HTMLElement>('[data-index]');
  return (
    Number.parseFloat(row?.style.transform.slice('translateY('.length) ?? 'NaN') - log.scrollTop
  );
}
