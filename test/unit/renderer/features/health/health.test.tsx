import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HealthCheck, HealthReport } from '../../../../../shared/ipc/health-contract';
import { FakeInboxClient } from '../../fake-client';
import { renderApp } from '../../render-app';

const ACCOUNT = '17841400000000001';

function check(overrides: Partial<HealthCheck> & Pick<HealthCheck, 'id'>): HealthCheck {
  return {
    account: null,
    state: 'ok',
    ranAt: Date.now() - 60_000,
    reason: { text: 'fine', detail: { key: 'health.reason.tunnelOk', vars: null } },
    fix: null,
    technical: null,
    ...overrides,
  };
}

const FAILING: HealthReport = {
  overall: 'failing',
  checks: [
    check({ id: 'tunnel-up' }),
    check({
      id: 'subscription-complete',
      account: ACCOUNT,
      state: 'failing',
      reason: {
        text: 'Instagram is not sending Inlet some kinds of messages (comments).',
        detail: { key: 'health.reason.subscriptionMissing', vars: { names: 'comments' } },
      },
      fix: { kind: 'repair', repair: 'resubscribe' },
      technical: 'subscribed_apps lacks: comments',
    }),
    check({
      id: 'callback-verified',
      state: 'warning',
      reason: { text: 'never', detail: { key: 'health.reason.callbackNever', vars: null } },
      fix: {
        kind: 'owner',
        steps: { text: 'steps', detail: { key: 'health.reason.callbackSteps', vars: null } },
      },
    }),
  ],
};

describe('health light and panel', () => {
  it('says it is checking until the first report, then one sentence in owner language', async () => {
    const client = new FakeInboxClient();
    renderApp(client);
    const light = await screen.findByTestId('health-light');
    expect(light).toHaveTextContent('Checking the connection…');
    act(() => client.emit('health:changed', FAILING));
    expect(light).toHaveTextContent('Messages may not be arriving');
    expect(light).toHaveAttribute('data-state', 'failing');
    expect(light.textContent).not.toMatch(/webhook|graph|tunnel/i);
  });

  it('lists the checks with their fixes: a button where Inlet can fix, steps where it cannot', async () => {
    const client = new FakeInboxClient();
    client.data.health = FAILING;
    const { user } = renderApp(client);
    const light = await screen.findByTestId('health-light');
    await screen.findByText('Messages may not be arriving');
    await user.click(light);
    const dialog = await screen.findByRole('dialog', { name: 'Connection health' });
    const subscription = within(dialog).getByTestId('health-check-subscription-complete');
    expect(subscription).toHaveTextContent(
      'Instagram is not sending Inlet some kinds of messages (comments). Inlet can fix this.',
    );
    expect(subscription).toHaveTextContent('subscribed_apps lacks: comments');
    const callback = within(dialog).getByTestId('health-check-callback-verified');
    expect(callback).toHaveTextContent('press “Verify and save”');
    expect(within(callback).queryByRole('button', { name: /Ask Instagram/ })).toBeNull();

    client.data.health = {
      overall: 'ok',
      checks: FAILING.checks.map((c) => ({ ...c, state: 'ok' as const })),
    };
    await user.click(within(subscription).getByRole('button', { name: 'Ask Instagram again' }));
    expect(client.health.fix).toHaveBeenCalledWith({ repair: 'resubscribe', account: ACCOUNT });
    expect(await screen.findByTestId('health-light')).toHaveAttribute('data-state', 'ok');
  });

  it('runs the checks on demand and shows a refusal in words', async () => {
    const client = new FakeInboxClient();
    const { user } = renderApp(client);
    await user.click(await screen.findByTestId('health-light'));
    const dialog = await screen.findByRole('dialog', { name: 'Connection health' });
    expect(within(dialog).getByText('No check has run yet.')).toBeInTheDocument();
    client.health.runNow.mockRejectedValueOnce(new Error('boom'));
    await user.click(within(dialog).getByRole('button', { name: 'Check now' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Inlet could not do that');
    client.data.health = FAILING;
    await user.click(within(dialog).getByRole('button', { name: 'Check now' }));
    expect(await within(dialog).findAllByRole('listitem')).toHaveLength(3);
  });

  it('sends a test message from a connected account and shows what came back', async () => {
    const client = new FakeInboxClient();
    const { user } = renderApp(client);
    await user.click(await screen.findByTestId('health-light'));
    const dialog = await screen.findByRole('dialog', { name: 'Connection health' });
    const [account] = client.data.status.accounts.filter((a) => a.state === 'connected');
    let answer: (report: HealthReport) => void = () => undefined;
    client.health.testLoop.mockImplementationOnce(
      () => new Promise<HealthReport>((resolve) => (answer = resolve)),
    );
    await user.click(
      within(dialog).getByRole('button', {
        name: `Send a test message (@${account!.username})`,
      }),
    );
    expect(client.health.testLoop).toHaveBeenCalledWith({ account: account!.igUserId });
    expect(
      within(dialog).getByRole('button', { name: 'Waiting for Instagram to send it back…' }),
    ).toBeDisabled();
    act(() =>
      answer({
        overall: 'failing',
        checks: [
          check({
            id: 'loop-proven',
            account: account!.igUserId,
            state: 'failing',
            reason: {
              text: 'silent',
              detail: { key: 'health.reason.loopSilent', vars: null },
            },
            fix: {
              kind: 'owner',
              steps: {
                text: 'steps',
                detail: { key: 'health.reason.loopSilentSteps', vars: null },
              },
            },
          }),
        ],
      }),
    );
    const loop = await within(dialog).findByTestId('health-check-loop-proven');
    expect(loop).toHaveTextContent('Meta is not delivering to this app');
    expect(loop).toHaveTextContent('publish the app');
  });

  it('speaks the owner’s language', async () => {
    const client = new FakeInboxClient();
    client.data.health = FAILING;
    renderApp(client, 'de');
    expect(
      await screen.findByText('Nachrichten kommen möglicherweise nicht an'),
    ).toBeInTheDocument();
  });
});
