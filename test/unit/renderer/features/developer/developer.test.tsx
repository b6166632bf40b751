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
    messageLinks: [],
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
    expect(verified).not.toHaveTextContent('not connected');
  });

  it('says when an event named an account Inlet has not connected', async () => {
    const client = developerClient();
    const [, verified] = client.data.deliveries;
    if (verified === undefined) throw new Error('fixtures changed');
    verified.record = record({ unknownAccountIds: ['17841400000000999'] });
    const { list } = await openDeliveries(client);
    expect(within(list).getAllByRole('button')[1]).toHaveTextContent(
      'not connected, its events skipped: 17841400000000999',
    );
  });

  it('filters in main by signature result, outcome, refused only and free text over the bodies', async () => {
    const { list, user, client } = await openDeliveries();
    const search = screen.getByRole('searchbox', { name: 'Search the bodies' });
    // "/" reaches the search from anywhere in the view, as in the inbox
    within(list).getAllByRole('button')[0]?.focus();
    await user.keyboard('/');
    expect(search).toHaveFocus();
    await user.type(search, 'caf\\u00e9');
    await waitFor(() =>
      expect(client.developer.listDeliveries).toHaveBeenLastCalledWith(
        expect.objectContaining({ text: 'caf\\u00e9' }),
      ),
    );
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
    await user.clear(search);
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(2));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Signature' }), 'wrong');
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
    expect(client.developer.listDeliveries).toHaveBeenLastCalledWith(
      expect.objectContaining({ signature: 'wrong' }),
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Signature' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'understood');
    await waitFor(() =>
      expect(within(list).getAllByRole('button')[0]).toHaveTextContent('signature valid'),
    );
    expect(within(list).getAllByRole('button')).toHaveLength(1);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), '');

    await user.click(screen.getByRole('checkbox', { name: 'Refused only' }));
    await waitFor(() =>
      expect(client.developer.listDeliveries).toHaveBeenLastCalledWith(
        expect.objectContaining({ refused: true }),
      ),
    );
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
  });

  it('simulates an event of a kind main offers and opens its delivery', async () => {
    const { user, client } = await openDeliveries();
    const menu = screen.getByRole('form', { name: 'Simulate an event' });
    await user.selectOptions(within(menu).getByRole('combobox', { name: 'Event' }), 'react');
    await user.type(within(menu).getByRole('textbox', { name: 'Text (optional)' }), 'Hi there');
    await user.click(within(menu).getByRole('button', { name: 'Send' }));
    expect(client.developer.simulate).toHaveBeenCalledWith({
      kind: 'react',
      accountId: undefined,
      text: 'Hi there',
    });
    expect(await within(menu).findByRole('status')).toHaveTextContent(
      /Sent a simulated react event: delivery \d+/,
    );
    const opened = await screen.findByRole('region', { name: /^Delivery \d+$/ });
    expect(within(opened).getByLabelText('Exactly as received')).toHaveTextContent('Hi there');
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

describe('Open message', () => {
  it('leaves Deliveries for the message a delivery created, in its conversation', async () => {
    const conversation = makeConversation();
    const client = developerClient();
    client.data.conversations = [conversation];
    client.data.messages = [
      makeMessage({ id: 'm-1', conversationId: conversation.id, text: 'café / bar' }),
    ];
    const [refused, verified] = client.data.deliveries;
    if (refused === undefined || verified === undefined) throw new Error('fixtures changed');
    verified.record = record({
      messageLinks: [{ messageId: 'm-1', mid: 'm-1', conversationId: conversation.id }],
    });
    const { list, user } = await openDeliveries(client);
    await user.click(within(list).getAllByRole('button')[1] as HTMLElement);
    const detail = await screen.findByRole('region', { name: 'Delivery 1' });
    await user.click(within(detail).getByRole('button', { name: 'Open message' }));
    expect(await screen.findByText('café / bar')).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Delivery 1' })).toBeNull();
  });
});

describe('Forwarding and the journal in Settings', () => {
  it('adds and removes a handler, refuses another host without the opt-in, and prunes', async () => {
    const client = developerClient();
    client.data.workbench.usage.verified = { count: 3, bytes: 3 * 1024, pruned: 0 };
    const { user, dialog } = await openSettings(client);
    const forwardTo = await within(dialog).findByRole('textbox', { name: 'Forward to URL' });
    expect(within(dialog).getByText(/Verified deliveries: 3 \(3 kB, 0 pruned\)/)).toBeVisible();

    await user.type(forwardTo, 'https://hooks.example.com/');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('is not this machine');
    expect(client.data.workbench.forwarding.settings.targets).toEqual([]);

    await user.clear(forwardTo);
    await user.type(forwardTo, 'http://127.0.0.1:3000/hook');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(await within(dialog).findByText('http://127.0.0.1:3000/hook')).toBeVisible();
    expect(forwardTo).toHaveValue('');
    await user.click(
      within(dialog).getByRole('button', { name: 'Remove http://127.0.0.1:3000/hook' }),
    );
    expect(await within(dialog).findByText(/No handlers/)).toBeVisible();

    await user.clear(
      within(dialog).getByRole('spinbutton', { name: 'Prune bodies older than (days)' }),
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: 'Prune bodies older than (days)' }),
      '7',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Prune' }));
    expect(client.developer.prune).toHaveBeenCalledWith({ days: 7 });
    expect(await within(dialog).findByText(/Pruned: 3 delivery bodies/)).toBeVisible();
    expect(within(dialog).getByText(/Verified deliveries: 3 \(0 byte/)).toBeVisible();
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
