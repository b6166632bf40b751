import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TriageActions } from '../../../../../renderer/src/features/triage/TriageActions';
import { FakeInboxClient } from '../../fake-client';
import { NOW, makeConversation } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

async function renderActions(language = 'en') {
  const conversation = makeConversation();
  const client = new FakeInboxClient({ conversations: [conversation] });
  const { store } = await storeWith(client, conversation.id);
  const rendered = renderWithStore(
    <TriageActions conversationId={conversation.id} />,
    store,
    language,
  );
  return { ...rendered, client, conversation };
}

/** A day and time in the test's (local) calendar, as a timestamp. */
function at(daysAfterNow: number, hours: number): number {
  const date = new Date(NOW);
  date.setDate(date.getDate() + daysAfterNow);
  date.setHours(hours, 0, 0, 0);
  return date.getTime();
}

describe('TriageActions', () => {
  it('snoozes until a picked day at 9:00, through the menu and the calendar', async () => {
    const { user, client, conversation } = await renderActions();
    expect(document.querySelector('input[type="datetime-local"]')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Snooze…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Pick a date…' }));
    const picker = await screen.findByRole('dialog', { name: 'Snooze until a day and time' });
    // Tomorrow is chosen and focused: → moves to the day after, Enter picks it.
    await user.keyboard('{ArrowRight}{Enter}');
    await user.click(within(picker).getByRole('button', { name: 'Snooze until' }));
    expect(client.triage.snooze).toHaveBeenCalledWith({
      conversationId: conversation.id,
      until: at(2, 9),
    });
  });

  it('refuses a time that has already passed, saying so', async () => {
    const { user, client } = await renderActions();
    await user.click(screen.getByRole('button', { name: 'Snooze…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Pick a date…' }));
    const picker = await screen.findByRole('dialog', { name: 'Snooze until a day and time' });
    // Today (the earliest day offered), at the default 9:00: already past at 15:00.
    await user.keyboard('{ArrowLeft}{Enter}');
    expect(within(picker).getByRole('alert')).toHaveTextContent(
      'That time has already passed. Pick a later one.',
    );
    expect(within(picker).getByRole('button', { name: 'Snooze until' })).toBeDisabled();
    // Before today: not offered at all.
    await user.keyboard('{ArrowLeft}{Enter}');
    expect(client.triage.snooze).not.toHaveBeenCalled();
  });

  it('keeps the rarer actions in "More": Mark unread and Labels', async () => {
    const { user, client, conversation } = await renderActions();
    await user.click(screen.getByRole('button', { name: 'More actions' }));
    const items = await screen.findAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual(['Mark unread', 'Labels…']);
    await user.click(screen.getByRole('menuitem', { name: 'Mark unread' }));
    expect(client.triage.markUnread).toHaveBeenCalledWith({ conversationId: conversation.id });
  });

  it('German: the calendar and its time field speak German', async () => {
    const { user } = await renderActions('de');
    await user.click(screen.getByRole('button', { name: 'Zurückstellen…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Datum wählen…' }));
    const picker = await screen.findByRole('dialog', {
      name: 'Bis zu einem Tag und einer Uhrzeit zurückstellen',
    });
    expect(within(picker).getByRole('heading')).toHaveTextContent('Juni 2025');
    expect(within(picker).getByRole('button', { name: 'Nächster Monat' })).toBeInTheDocument();
    expect(within(picker).getByRole('group', { name: 'Uhrzeit' })).toBeInTheDocument();
  });
});
