import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation();
// NOW is Wednesday 11 June 2025, 15:00 local: one message today at 14:00, one on Sunday the 8th.
const today = makeMessage({ id: 'today', conversationId: jane.id, at: NOW - HOUR, text: 'Olá!' });
const sunday = makeMessage({
  id: 'sunday',
  conversationId: jane.id,
  at: NOW - 3 * 24 * HOUR - 5 * HOUR,
  text: 'Hallo!',
  editCount: 2,
});

async function renderThreadIn(language: string) {
  const { store } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages: [sunday, today] }),
    jane.id,
  );
  return renderWithStore(<Thread />, store, language);
}

describe('Thread in other languages', () => {
  it('speaks German: labels, day separators, times and numbers', async () => {
    await renderThreadIn('de');

    const log = screen.getByRole('log', { name: 'Nachrichten' });
    expect(screen.getByRole('textbox', { name: 'Nachricht' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Senden' })).toBeDisabled();
    expect(within(log).getByRole('heading', { name: 'Sonntag, 8. Juni' })).toBeVisible();
    expect(within(log).getByRole('heading', { name: 'Heute' })).toBeVisible();
    // 24-hour clock, and the thousands separator of German in the byte counter.
    expect(within(log).getByText('14:00')).toBeVisible();
    expect(screen.queryByText(/Byte/)).toBeNull();
    expect(within(log).getByText('Bearbeitet')).toHaveAttribute('title', '2-mal bearbeitet');
  });

  it('speaks Brazilian Portuguese: labels, day separators, times and numbers', async () => {
    await renderThreadIn('pt-BR');

    const log = screen.getByRole('log', { name: 'Mensagens' });
    expect(screen.getByRole('textbox', { name: 'Mensagem' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeDisabled();
    expect(within(log).getByRole('heading', { name: 'domingo, 8 de junho' })).toBeVisible();
    expect(within(log).getByRole('heading', { name: 'Hoje' })).toBeVisible();
    expect(within(log).getByText('14:00')).toBeVisible();
    expect(screen.queryByText(/bytes/)).toBeNull();
    expect(within(log).getByText('Editada')).toHaveAttribute('title', 'Editada 2 vezes');
  });

  it('keeps the English names the end-to-end tests use under the default language', async () => {
    await renderThreadIn('en');
    expect(screen.getByRole('log', { name: 'Messages' })).toBeVisible();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Send' })).toBeVisible();
    expect(screen.getByText('2:00 PM')).toBeVisible();
  });
});
