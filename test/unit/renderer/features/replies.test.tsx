import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Composer } from '../../../../renderer/src/features/composer/Composer';
import {
  fillVariables,
  pickerQuery,
} from '../../../../renderer/src/features/replies/fill-variables';
import { FakeInboxClient } from '../fake-client';
import { makeConversation } from '../fixtures';
import { renderWithStore } from '../render-app';
import { storeWith } from '../store-with';

const jane = makeConversation({ customerName: 'Jane Doe', customerUsername: 'jane.doe' });

describe('saved reply variables', () => {
  it('fills first name and username, never leaving a placeholder for a missing value', () => {
    expect(fillVariables('Hi {first_name} ({username})!', jane)).toBe('Hi Jane (@jane.doe)!');
    const noName = makeConversation({ customerName: null, customerUsername: 'sam' });
    expect(fillVariables('Hi {first_name}!', noName)).toBe('Hi sam!');
    const anonymous = makeConversation({ customerName: null, customerUsername: null });
    expect(fillVariables('Hi {first_name}, thanks!', anonymous)).toBe('Hi, thanks!');
    expect(fillVariables('Code {order_id}', jane)).toBe('Code {order_id}');
  });

  it('opens the picker only for "/word" at the start of the reply', () => {
    expect(pickerQuery('/')).toBe('');
    expect(pickerQuery('/thx')).toBe('thx');
    expect(pickerQuery('a /thx')).toBeNull();
    expect(pickerQuery('/thx now')).toBeNull();
  });
});

describe('saved reply picker in the composer', () => {
  it('filters by what follows "/", moves with arrows and inserts with Enter', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.data.replies = [
      { id: 1, shortcut: 'hours', body: 'We open at 9.' },
      { id: 2, shortcut: 'thanks', body: 'Thank you, {first_name}!' },
      { id: 3, shortcut: 'thx-long', body: 'Thanks a lot {first_name}' },
    ];
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Composer conversationId={jane.id} />, store);
    const box = screen.getByRole('textbox', { name: 'Message' });

    await user.type(box, '/th');
    const options = screen.getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      '/thanksThank you, {first_name}!',
      '/thx-longThanks a lot {first_name}',
    ]);
    expect(box).toHaveAttribute('aria-activedescendant', options[0]?.id);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(box).toHaveValue('Thanks a lot Jane');
    expect(client.sending.sendText).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();

    await user.clear(box);
    await user.type(box, '/h');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(box).toHaveValue('/h');
  });

  it('says there are no saved replies yet, and where to make one, instead of showing nothing', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Composer conversationId={jane.id} />, store);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, '/');
    expect(screen.getByTestId('saved-reply-empty')).toHaveTextContent(
      'No saved replies yet. Save the answers you give often under “Saved replies” above',
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('saved-reply-empty')).not.toBeInTheDocument();
    expect(box).toHaveValue('/');
  });

  it('says when no saved reply has the shortcut typed', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.data.replies = [{ id: 1, shortcut: 'hours', body: 'We open at 9.' }];
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Composer conversationId={jane.id} />, store);
    await user.type(screen.getByRole('textbox', { name: 'Message' }), '/zz');
    expect(screen.getByTestId('saved-reply-empty')).toHaveTextContent(
      'No saved reply starts with /zz.',
    );
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('opens from the composer’s button, by keyboard, keeping what was already written', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.data.replies = [
      { id: 1, shortcut: 'hours', body: 'We open at 9.' },
      { id: 2, shortcut: 'thanks', body: 'Thank you, {first_name}!' },
    ];
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Composer conversationId={jane.id} />, store);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, 'Hello!');

    // Tab from the reply box reaches it; Enter opens the list and gives focus back to the box.
    const button = screen.getByRole('button', { name: 'Insert a saved reply' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    for (let step = 0; step < 4 && document.activeElement !== button; step += 1) await user.tab();
    expect(button).toHaveFocus();
    await user.keyboard('{Enter}');
    const list = screen.getByRole('listbox', { name: 'Saved replies' });
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(button).toHaveAttribute('aria-controls', list.id);
    expect(box).toHaveFocus();
    expect(within(list).getAllByRole('option')).toHaveLength(2);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(box).toHaveValue('Hello! Thank you, Jane!');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(client.sending.sendText).not.toHaveBeenCalled();
  });

  it('from the button: Escape or typing closes the list, leaving the reply as it was', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.data.replies = [{ id: 1, shortcut: 'hours', body: 'We open at 9.' }];
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Composer conversationId={jane.id} />, store);
    const box = screen.getByRole('textbox', { name: 'Message' });
    const button = screen.getByRole('button', { name: 'Insert a saved reply' });

    await user.click(button);
    expect(screen.getByRole('listbox', { name: 'Saved replies' })).toBeVisible();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(box).toHaveValue('');

    await user.click(button);
    await user.keyboard('H');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(box).toHaveValue('H');
  });

  it('names the button in each language', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    const { store } = await storeWith(client, jane.id);
    const names = {
      de: 'Textbaustein einfügen',
      es: 'Insertar una respuesta guardada',
      'pt-BR': 'Inserir uma resposta salva',
    };
    for (const [language, name] of Object.entries(names)) {
      const { unmount } = renderWithStore(<Composer conversationId={jane.id} />, store, language);
      expect(screen.getByRole('button', { name })).toBeVisible();
      unmount();
    }
  });
});
