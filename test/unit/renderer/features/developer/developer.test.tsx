import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeliveryRecordDto } from '../../../../../shared/ipc/developer-contract';
import { FakeInboxClient } from '../../fake-client';
import { makeConversation, makeMessage } from '../../fixtures';
import { openSettings, renderApp } from '../../render-app';

// Meta's escapes as sent: the raw view must keep `\u00e9` and `\/`, the formatted one decodes them.
const RAW =
  '{"object":"instagram","entry":[{"id":"17841400000000001","messaging":[{"message":{"mid":"m-1","text":"caf\\u00e9 \\/ bar"}}]}]}';

function record(overrides: Partial<DeliveryRecordDto> = {}): DeliveryRecordDto {
  return {
    id: '1',
    receivedAt: Date.UTC(2026, 11, 6, 9, 30),
    refused: false,
    accountIds: ['17841400000000001'],
    unknownAccountIds: [],
    fields: ['messages'],
    kinds: ['message'],
    signature: 'valid',
    status: 200,
    answerMs: 3,
    outcome: 'understood',
    reason: null,
    bytes: RAW.length,
    pruned: false,
    changes: { messagesCreated: ['m-1'], messagesUpdated: [], comments: [] },
    forwards: [],
    ...overrides,
  };
}

function developerClient() {
  const client = new FakeInboxClient();
  client.data.developer = { enabled: true };
  client.data.deliveries = [
    {
      record: record({
        id: 'r1',
        refused: true,
        signature: 'wrong',
        status: 401,
        outcome: 'refused',
        reason: 'signature does not match',
        receivedAt: Date.UTC(2026, 11, 6, 9, 31),
        accountIds: [],
        fields: [],
        kinds: [],
        changes: { messagesCreated: [], messagesUpdated: [], comments: [] },
      }),
      body: '{"object":"page"}',
      headers: { 'x-hub-signature-256': `sha256=${'ab'.repeat(32)}` },
    },
    { record: record(), body: RAW, headers: {} },
  ];
  return client;
}

async function openDeliveries(client = developerClient()) {
  const view = renderApp(client);
  await view.user.click(await screen.findByRole('button', { name: 'Deliveries' }));
  const list = await screen.findByRole('list', { name: 'Deliveries, newest first' });
  await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(2));
  return { ...view, list };
}

describe('the Developer switch', () => {
  it('hides Deliveries until switched on in Settings, and remembers the choice in main', async () => {
    const client = new FakeInboxClient();
    const { user, dialog } = await openSettings(client);
    expect(screen.queryByRole('button', { name: 'Deliveries' })).toBeNull();
    const toggle = within(dialog).getByRole('checkbox', { name: 'Show the Developer section' });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(client.developer.setSettings).toHaveBeenCalledWith({ enabled: true });
    expect(client.data.developer).toEqual({ enabled: true });
    expect(await screen.findByRole('button', { name: 'Deliveries' })).toBeVisible();
  });
});

describe('Deliveries', () => {
  it('lists newest first with signature result, answer and outcome', async () => {
    const { list } = await openDeliveries();
    const [refused, verified] = within(list).getAllByRole('button');
    expect(refused).toHaveTextContent('signature wrong');
    expect(refused).toHaveTextContent('refused: signature does not match');
    expect(verified).toHaveTextContent('messages, message');
    expect(verified).toHaveTextContent('signature valid');
    expect(verified).toHaveTextContent('200 · 3 ms');
    expect(verified).toHaveTextContent('understood');
  });

  it('filters refused only in main and by free text over the bodies', async () => {
    const { list, user, client } = await openDeliveries();
    await user.type(screen.getByRole('searchbox', { name: 'Search the bodies' }), 'café');
    expect(within(list).queryAllByRole('button')).toHaveLength(0);
    await user.clear(screen.getByRole('searchbox', { name: 'Search the bodies' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search the bodies' }), 'caf\\u00e9');
    expect(within(list).getAllByRole('button')).toHaveLength(1);
    await user.clear(screen.getByRole('searchbox', { name: 'Search the bodies' }));
    await user.click(screen.getByRole('checkbox', { name: 'Refused only' }));
    await waitFor(() =>
      expect(client.developer.listDeliveries).toHaveBeenLastCalledWith(
        expect.objectContaining({ refused: true }),
      ),
    );
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
  });

  it('moves with the arrow keys and opens with Enter: raw bytes beside the formatted view', async () => {
    const { list, user } = await openDeliveries();
    const [first, second] = within(list).getAllByRole('button');
    first?.focus();
    await user.keyboard('{ArrowDown}');
    expect(second).toHaveFocus();
    await user.keyboard('{Enter}');
    const detail = await screen.findByRole('region', { name: 'Delivery 1' });
    expect(within(detail).getByLabelText('Exactly as received').textContent).toBe(RAW);
    expect(within(detail).getByLabelText('Formatted')).toHaveTextContent('"text": "café / bar"');
    expect(within(detail).getByText('Message created: m-1')).toBeVisible();
  });

  it('shows the signature header shortened and offers no replay of a refused request', async () => {
    const { list, user } = await openDeliveries();
    await user.click(within(list).getAllByRole('button')[0] as HTMLElement);
    const detail = await screen.findByRole('region', { name: 'Delivery r1' });
    expect(within(detail).getByText(`sha256=${'ab'.repeat(6)}…`)).toBeVisible();
    expect(within(detail).queryByRole('button', { name: 'Replay' })).toBeNull();
    expect(within(detail).getByRole('button', { name: 'Save as fixture' })).toBeVisible();
  });

  it('replays and says that nothing changed; edited JSON is checked before sending', async () => {
    const { list, user, client } = await openDeliveries();
    await user.click(within(list).getAllByRole('button')[1] as HTMLElement);
    const detail = await screen.findByRole('region', { name: 'Delivery 1' });
    await user.click(within(detail).getByRole('button', { name: 'Replay' }));
    expect(
      await within(detail).findByText(/changed nothing, everything in it was already stored/),
    ).toBeVisible();
    expect(client.developer.replay).toHaveBeenCalledWith({ id: '1', editedJson: undefined });

    await user.click(within(detail).getByRole('button', { name: 'Edit and replay' }));
    const editor = within(detail).getByRole('textbox', { name: 'JSON to replay' });
    expect(editor).toHaveValue(RAW);
    await user.clear(editor);
    await user.type(editor, 'not json');
    await user.click(within(detail).getByRole('button', { name: 'Replay edited JSON' }));
    expect(within(detail).getByRole('alert')).toHaveTextContent(/not valid JSON.*nothing was sent/);
    expect(client.developer.replay).toHaveBeenCalledTimes(1);

    await user.clear(editor);
    await user.type(editor, '{{"object":"instagram"}');
    await user.click(within(detail).getByRole('button', { name: 'Replay edited JSON' }));
    expect(client.developer.replay).toHaveBeenLastCalledWith({
      id: '1',
      editedJson: '{"object":"instagram"}',
    });
    expect(await within(detail).findByText(/1 messages created/)).toBeVisible();
  });

  it('copies a cURL command from main', async () => {
    const { list, user, client } = await openDeliveries();
    await user.click(within(list).getAllByRole('button')[1] as HTMLElement);
    const detail = await screen.findByRole('region', { name: 'Delivery 1' });
    await user.click(within(detail).getByRole('button', { name: 'Copy as cURL' }));
    expect(client.developer.curl).toHaveBeenCalledWith({ id: '1' });
    expect(
      await within(detail).findByLabelText('Copy as cURL', { selector: 'pre' }),
    ).toHaveTextContent(/^curl -sS -X POST/);
  });
});

describe('View webhook', () => {
  it('opens the delivery behind a message from its bubble, only while the switch is on', async () => {
    const conversation = makeConversation();
    const client = developerClient();
    client.data.conversations = [conversation];
    client.data.messages = [
      makeMessage({ id: 'm-1', conversationId: conversation.id, text: 'café / bar' }),
    ];
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: /jane\.doe/ }));
    // The bubble's actions: "More" opens the menu that holds View webhook.
    const bubble = await screen.findByTestId('message');
    await user.click(within(bubble).getByRole('button', { name: 'More' }));
    await user.click(await screen.findByRole('menuitem', { name: 'View webhook' }));
    expect(client.developer.listDeliveries).toHaveBeenLastCalledWith(
      expect.objectContaining({ messageId: 'm-1' }),
    );
    const detail = await screen.findByRole('region', { name: 'Delivery 1' });
    expect(within(detail).getByText('Message created: m-1')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Back to the conversation' }));
    expect(await screen.findByText('café / bar')).toBeVisible();
  });

  it('is not offered while the Developer switch is off', async () => {
    const conversation = makeConversation();
    const client = new FakeInboxClient({
      conversations: [conversation],
      messages: [makeMessage({ conversationId: conversation.id })],
    });
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: /jane\.doe/ }));
    expect(await screen.findByRole('button', { name: 'Reply' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'View webhook' })).toBeNull();
    await user.click(within(screen.getByTestId('message')).getByRole('button', { name: 'More' }));
    expect(await screen.findByRole('menuitem', { name: 'Reply' })).toBeVisible();
    expect(screen.queryByRole('menuitem', { name: 'View webhook' })).toBeNull();
  });
});
