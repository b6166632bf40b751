import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeInboxClient } from '../fake-client';
import { CAFE, MINUTE, NOW, SHOP, makeAccount, makeConversation, makeStatus } from '../fixtures';
import { renderApp } from '../render-app';

async function rail(client: FakeInboxClient) {
  const app = renderApp(client);
  return { ...app, rail: await screen.findByTestId('rail') };
}

describe('SandboxBanner', () => {
  it('in sandbox mode, says plainly in one sentence that nothing is real', async () => {
    const { rail: nav } = await rail(
      new FakeInboxClient({ status: makeStatus({ mode: 'sandbox', accounts: [] }) }),
    );
    expect(screen.getByTestId('sandbox-banner')).toHaveTextContent(
      'This is the sandbox: simulated customers to try Inlet safely, with nothing sent to Instagram.',
    );
    expect(within(nav).getByText('Sandbox')).toBeVisible();
  });

  it('is absent with a live account, and the rail does not say Live', async () => {
    const { rail: nav } = await rail(new FakeInboxClient({ status: makeStatus({ mode: 'live' }) }));
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
    expect(within(nav).queryByText(/Sandbox|Live/)).toBeNull();
  });
});

describe('the rail', () => {
  it('names the account with its unread count, the views, health and Settings, never the plumbing', async () => {
    const client = new FakeInboxClient({
      status: makeStatus({
        verifyToken: 'k3y-for-the-dashboard',
        publicWebhookUrl: 'https://a1b2.ngrok.app/webhook',
        tunnel: { state: 'online', error: null, retryAt: null },
        lastEventAt: NOW - 2 * MINUTE,
      }),
      conversations: [
        makeConversation({ customerId: '1', unreadCount: 2 }),
        makeConversation({ customerId: '2', unreadCount: 1 }),
      ],
    });
    const { rail: nav } = await rail(client);
    expect(nav).toHaveRole('navigation');
    expect(nav).toHaveAccessibleName('Inbox navigation');
    const account = within(nav).getByRole('button', { name: '@lisbon.ceramics, 3 unread' });
    expect(account).toHaveAttribute('aria-current', 'page');
    const views = within(nav).getByRole('group', { name: 'Inbox views' });
    expect(
      within(views)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Inbox', 'Ending soon', 'Snoozed', 'Done', 'All', 'Comments']);
    expect(within(views).getByRole('button', { name: 'Inbox' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(within(nav).getByRole('button', { name: 'Settings' })).toBeVisible();
    expect(within(nav).getByTestId('health-light')).toBeVisible();
    for (const plumbing of ['ngrok', 'k3y-for-the-dashboard', 'Webhook', 'Tunnel', 'Last event']) {
      expect(nav).not.toHaveTextContent(plumbing);
    }
  });

  it('with several accounts, shows one account’s conversations and then all again', async () => {
    const client = new FakeInboxClient({
      status: makeStatus({
        accounts: [
          makeAccount({ igUserId: SHOP }),
          makeAccount({ igUserId: CAFE, username: 'lisbon.cafe' }),
        ],
      }),
      conversations: [
        makeConversation({ customerUsername: 'shop.customer', customerId: '1' }),
        makeConversation({
          id: `${CAFE}:2`,
          accountId: CAFE,
          customerId: '2',
          customerUsername: 'cafe.customer',
        }),
      ],
    });
    const { rail: nav, user } = await rail(client);
    await screen.findByRole('button', { name: /cafe\.customer/ });
    const cafe = within(nav).getByRole('button', { name: '@lisbon.cafe' });
    expect(cafe).not.toHaveAttribute('aria-current');
    await user.click(cafe);
    expect(cafe).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByRole('button', { name: /shop\.customer/ })).toBeNull();
    expect(screen.getByRole('button', { name: /cafe\.customer/ })).toBeVisible();
    await user.click(cafe);
    expect(cafe).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('button', { name: /shop\.customer/ })).toBeVisible();
  });

  it('moves between its buttons with the arrow keys, Home and End', async () => {
    const { rail: nav, user } = await rail(new FakeInboxClient());
    const inbox = within(nav).getByRole('button', { name: 'Inbox' });
    inbox.focus();
    await user.keyboard('{ArrowDown}');
    expect(within(nav).getByRole('button', { name: 'Ending soon' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(within(nav).getByRole('button', { name: '@lisbon.ceramics' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(within(nav).getByRole('button', { name: 'Settings' })).toHaveFocus();
    await user.keyboard('{Home}');
    expect(within(nav).getByRole('button', { name: '@lisbon.ceramics' })).toHaveFocus();
  });

  it('a view brings the inbox back from Comments', async () => {
    const { rail: nav, user } = await rail(new FakeInboxClient());
    await user.click(within(nav).getByRole('button', { name: 'Comments' }));
    await screen.findByRole('heading', { name: 'Comments on your posts' });
    expect(within(nav).getByRole('button', { name: 'Inbox' })).not.toHaveAttribute('aria-current');
    await user.click(within(nav).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('heading', { name: 'Comments on your posts' })).toBeNull();
    expect(within(nav).getByRole('button', { name: 'Done' })).toHaveAttribute(
      'aria-current',
      'page',
    );
  });
});
