import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../../../shared/ipc/health-contract';
import { FakeInboxClient } from '../../fake-client';
import { makeAccount, makeSettings, makeStatus, SHOP } from '../../fixtures';
import { renderApp } from '../../render-app';

function check(id: HealthCheck['id'], state: HealthCheck['state'], account: string | null) {
  return {
    id,
    account,
    state,
    ranAt: Date.now(),
    reason: {
      text: 'Meta has never checked Inlet’s address.',
      detail: { key: 'health.reason.callbackNever', vars: null },
    },
    fix: null,
    technical: null,
  } satisfies HealthCheck;
}

function freshClient(): FakeInboxClient {
  const client = new FakeInboxClient({ status: makeStatus({ mode: 'sandbox', accounts: [] }) });
  client.data.settings = makeSettings({ appId: null, hasAppSecret: false, redirectUri: null });
  return client;
}

async function openFromBanner(client: FakeInboxClient, language = 'en') {
  const view = renderApp(client, language);
  const banner = await screen.findByTestId('sandbox-banner');
  await view.user.click(within(banner).getAllByRole('button')[0]!);
  return view;
}

afterEach(() => window.localStorage.clear());

describe('the guided setup', () => {
  it('opens from the sandbox banner at the first step, which says what to click', async () => {
    const { user } = await openFromBanner(freshClient());
    const dialog = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    const current = await within(dialog).findByTestId('setup-current');
    expect(current).toHaveAttribute('data-step', 'create-app');
    expect(current).toHaveTextContent('Step 1 of 12: Create a Meta app');
    expect(current).toHaveTextContent('click Create app');
    expect(
      within(current).getByRole('link', { name: 'Open Meta’s App Dashboard' }),
    ).toHaveAttribute('href', 'https://developers.facebook.com/apps/');
    // The values to paste only exist once Inlet runs with the owner's app.
    await user.click(within(dialog).getByTestId('setup-step-webhook'));
    expect(within(dialog).getByTestId('setup-current')).toHaveTextContent(
      'enter its ID and secret first',
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Connect your Instagram' })).toBeNull();
  });

  it('“Explore the sandbox” puts the banner away', async () => {
    const { user } = renderApp(freshClient());
    const banner = await screen.findByTestId('sandbox-banner');
    await user.click(within(banner).getByRole('button', { name: 'Explore the sandbox' }));
    expect(screen.queryByTestId('sandbox-banner')).toBeNull();
  });

  it('saves the app id and secret from its own step and ticks it when Inlet runs live', async () => {
    const client = freshClient();
    const { user } = await openFromBanner(client);
    const dialog = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    await user.click(await within(dialog).findByTestId('setup-step-credentials'));
    const current = within(dialog).getByTestId('setup-current');
    await user.type(within(current).getByLabelText('Instagram app ID'), '990602627938098');
    await user.type(within(current).getByLabelText('Instagram app secret'), 'an-app-secret-1');
    await user.click(within(current).getByRole('button', { name: 'Save and use my app' }));
    expect(client.settings.update).toHaveBeenCalledWith({
      appId: '990602627938098',
      appSecret: 'an-app-secret-1',
    });
    expect(await within(current).findByRole('status')).toHaveTextContent('Saved');
    act(() => client.emit('app:statusChanged', makeStatus({ mode: 'live', accounts: [] })));
    expect(within(dialog).getByTestId('setup-step-credentials')).toHaveAttribute(
      'data-state',
      'checked',
    );
    expect(within(dialog).getByTestId('setup-step-create-app')).toHaveAttribute(
      'data-state',
      'shown',
    );
  });

  it('resumes live where nothing proves the step done, with the real values to copy', async () => {
    const client = new FakeInboxClient({
      status: makeStatus({ mode: 'live', accounts: [makeAccount({ igUserId: SHOP })] }),
    });
    client.data.health = {
      overall: 'warning',
      checks: [check('token-accepted', 'ok', SHOP), check('callback-verified', 'warning', null)],
    };
    const { user } = renderApp(client);
    const strip = await screen.findByTestId('rail');
    await user.click(within(strip).getByRole('button', { name: /Settings/ }));
    const settings = await screen.findByRole('dialog', { name: 'Settings' });
    await user.click(within(settings).getByRole('button', { name: 'Guided setup' }));
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    const dialog = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    // The login worked through Inlet: the role and the redirect URI are proven, the webhook is not.
    const current = await within(dialog).findByTestId('setup-current');
    expect(current).toHaveAttribute('data-step', 'webhook');
    expect(within(current).getByTestId('setup-verify-token')).toHaveTextContent(
      'verify-token-0123456789',
    );
    expect(within(current).getByRole('button', { name: 'Copy Verify token' })).toBeVisible();
    expect(within(current).getByTestId('setup-findings')).toHaveTextContent(
      'Meta has never checked Inlet’s address.',
    );

    await user.click(within(current).getByRole('button', { name: 'Next' }));
    const fields = within(dialog).getByTestId('setup-current');
    expect(fields).toHaveAttribute('data-step', 'fields');
    expect(within(fields).getByRole('heading')).toHaveFocus();
    expect(fields).toHaveTextContent('message_reactions');

    // Closed and opened again (from the Health panel): it comes back to the same step.
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await user.click(screen.getByTestId('health-light'));
    const health = await screen.findByRole('dialog', { name: 'Connection health' });
    await user.click(within(health).getByRole('button', { name: 'Guided setup' }));
    const reopened = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    expect(await within(reopened).findByTestId('setup-current')).toHaveAttribute(
      'data-step',
      'fields',
    );
  });

  it('sends the test message and ticks it from the health report', async () => {
    const client = new FakeInboxClient({
      status: makeStatus({ mode: 'live', accounts: [makeAccount({ igUserId: SHOP })] }),
    });
    window.localStorage.setItem('inlet.setup.step', 'test-message');
    const { user } = renderApp(client);
    const strip = await screen.findByTestId('rail');
    await user.click(within(strip).getByRole('button', { name: /Settings/ }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Settings' })).getByRole('button', {
        name: 'Guided setup',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    const current = await within(dialog).findByTestId('setup-current');
    expect(current).toHaveAttribute('data-step', 'test-message');
    client.data.health = { overall: 'ok', checks: [check('loop-proven', 'ok', SHOP)] };
    await user.click(
      within(current).getByRole('button', { name: 'Send a test message from @lisbon.ceramics' }),
    );
    expect(client.health.testLoop).toHaveBeenCalledWith({ account: SHOP });
    expect(within(dialog).getByTestId('setup-step-test-message')).toHaveAttribute(
      'data-state',
      'checked',
    );
    // Meta delivered the echo: the fields and the publishing are proven with it.
    expect(within(dialog).getByTestId('setup-step-publish')).toHaveAttribute('data-state', 'shown');
  });

  it('asks Instagram again for a subscription the health check found incomplete', async () => {
    const client = new FakeInboxClient({
      status: makeStatus({ mode: 'live', accounts: [makeAccount({ igUserId: SHOP })] }),
    });
    client.data.health = {
      overall: 'failing',
      checks: [
        {
          ...check('subscription-complete', 'failing', SHOP),
          reason: {
            text: 'Instagram is not sending Inlet some kinds of messages (comments).',
            detail: { key: 'health.reason.subscriptionMissing', vars: { names: 'comments' } },
          },
        },
      ],
    };
    window.localStorage.setItem('inlet.setup.step', 'subscription');
    const { user } = renderApp(client);
    await user.click(await screen.findByTestId('health-light'));
    const health = await screen.findByRole('dialog', { name: 'Connection health' });
    await user.click(within(health).getByRole('button', { name: 'Guided setup' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect your Instagram' });
    const current = await within(dialog).findByTestId('setup-current');
    expect(current).toHaveAttribute('data-step', 'subscription');
    expect(within(current).getByTestId('setup-findings')).toHaveTextContent(
      '@lisbon.ceramics: Instagram is not sending Inlet some kinds of messages (comments).',
    );
    await user.click(
      within(current).getByRole('button', { name: 'Ask Instagram again for @lisbon.ceramics' }),
    );
    expect(client.health.fix).toHaveBeenCalledWith({ repair: 'resubscribe', account: SHOP });
  });

  it('speaks German', async () => {
    await openFromBanner(freshClient(), 'de');
    const dialog = await screen.findByRole('dialog', { name: 'Dein Instagram verbinden' });
    expect(await within(dialog).findByTestId('setup-current')).toHaveTextContent(
      'Schritt 1 von 12: Eine Meta-App anlegen',
    );
  });
});
