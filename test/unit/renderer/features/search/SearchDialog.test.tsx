import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../../../shared/ipc/search-contract';
import {
  groupHits,
  markNameMatches,
} from '../../../../../renderer/src/features/search/search-results';
import { FakeInboxClient } from '../../fake-client';
import { NOW, makeConversation } from '../../fixtures';
import { renderApp } from '../../render-app';

const jane = makeConversation();
const tom = makeConversation({
  customerId: '17841400000000002',
  customerName: 'Tom Baker',
  customerUsername: 'tom.b',
  lastMessageAt: NOW - 60_000,
});

function hit(messageId: string, conversationId: string, snippet: string, at: number): SearchHit {
  return {
    messageId,
    conversationId,
    direction: 'in',
    at,
    snippet,
    customerUsername: null,
    customerName: null,
    customerId: conversationId.split(':')[1] ?? '',
  };
}

describe('search results', () => {
  it('groups hits by conversation in the order of each newest hit', () => {
    const hits = [hit('a', 'x', '', 3), hit('b', 'y', '', 2), hit('c', 'x', '', 1)];
    expect(
      groupHits(hits).map((group) => [group.conversationId, group.hits.map((h) => h.messageId)]),
    ).toEqual([
      ['x', ['a', 'c']],
      ['y', ['b']],
    ]);
  });

  it('marks the words of a name that the query words begin, accents and case aside', () => {
    expect(markNameMatches('Tom Baker', 'tom')).toEqual([
      { text: 'Tom', isMatch: true },
      { text: ' Baker', isMatch: false },
    ]);
    expect(markNameMatches('João Pereira', 'joao per')).toEqual([
      { text: 'João', isMatch: true },
      { text: ' ', isMatch: false },
      { text: 'Pereira', isMatch: true },
    ]);
    expect(markNameMatches('@tom.b', 'tom.b')).toEqual([
      { text: '@', isMatch: false },
      { text: 'tom', isMatch: true },
      { text: '.', isMatch: false },
      { text: 'b', isMatch: true },
    ]);
    expect(markNameMatches('Ana', '👟 "')).toEqual([{ text: 'Ana', isMatch: false }]);
  });
});

describe('SearchDialog', () => {
  it('shows customers found by name first, then messages grouped by conversation', async () => {
    const client = new FakeInboxClient({ conversations: [jane, tom] });
    client.data.customerMatches = [tom.id];
    client.data.searchResults = [
      hit('m3', jane.id, 'ship to \u0002Lisbon\u0003?', NOW - 1000),
      hit('m2', tom.id, 'also \u0002Lisbon\u0003', NOW - 2000),
      hit('m1', jane.id, '\u0002Lisbon\u0003 again', NOW - 3000),
    ];
    const { user, store } = renderApp(client);
    await screen.findAllByTestId('conversation');
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Search all messages' }), 'tom');
    const dialog = screen.getByRole('dialog', { name: 'Search messages' });
    const people = await within(dialog).findByRole('group', { name: 'People' });
    const found = within(people).getByTestId('search-customer');
    expect(found).toHaveTextContent('Tom Baker @tom.b');
    // With their face: the initials here, as Tom has no picture kept.
    expect(found.querySelector('.avatar')).toHaveTextContent('TB');
    expect(
      within(people)
        .getAllByRole('mark')
        .map((mark) => mark.textContent),
    ).toEqual(['Tom', 'tom']);
    const groups = within(dialog).getAllByRole('group').slice(1);
    expect(groups.map((group) => group.getAttribute('aria-label'))).toEqual([
      'Jane Doe',
      'Tom Baker',
    ]);
    expect(within(groups[0]!).getAllByTestId('search-hit')).toHaveLength(2);
    expect(within(dialog).getByRole('status')).toHaveTextContent('4 results');

    // ↓ moves from the customer to the first message; Enter opens the customer.
    const box = screen.getByRole('combobox');
    expect(box).toHaveAttribute('aria-activedescendant', 'search-choice-0');
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect(store.getState().selectedConversationId).toBe(tom.id);
    expect(store.getState().isSearchOpen).toBe(false);
  });

  it('says so when nothing matches, and searches a very long query by its beginning', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    const { user } = renderApp(client);
    await screen.findAllByTestId('conversation');
    await user.keyboard('{Control>}k{/Control}');
    const box = screen.getByRole('combobox', { name: 'Search all messages' });
    await user.click(box);
    await user.paste('x'.repeat(500));
    const dialog = screen.getByRole('dialog', { name: 'Search messages' });
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('No matches'));
    expect(client.search.messages).toHaveBeenLastCalledWith({ query: 'x'.repeat(200) });
  });
});
