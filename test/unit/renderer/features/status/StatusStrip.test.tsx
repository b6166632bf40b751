import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SandboxBanner } from '../../../../../renderer/src/features/status/SandboxBanner';
import { StatusStrip } from '../../../../../renderer/src/features/status/StatusStrip';
import type { AppStatus } from '../../../../../shared/domain/schemas';
import { FakeInboxClient } from '../../fake-client';
import { MINUTE, NOW, makeStatus } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

async function renderStatus(status: AppStatus) {
  const { store } = await storeWith(new FakeInboxClient({ status }));
  return renderWithStore(
    <>
      <StatusStrip />
      <SandboxBanner />
    </>,
    store,
  );
}

describe('SandboxBanner', () => {
  it('in sandbox mode, says plainly in one sentence that nothing is real', async () => {
    await renderStatus(makeStatus({ mode: 'sandbox', accounts: [] }));
    const banner = screen.getByTestId('sandbox-banner');
    expect(banner).toHaveTextContent(
      'This is the sandbox: simulated customers to try Inlet safely, with nothing sent to Instagram.',
    );
    expect(within(screen.getByTestId('status-strip')).getByText('Sandbox')).toBeVisible();
  });

  it('is absent with a live account', async () => {
    await renderStatus(makeStatus({ mode: 'live' }));
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('status-strip')).getByText('Live')).toBeVisible();
  });
});

describe('StatusStrip', () => {
  it('shows the account, the mode and one health sentence, never the plumbing behind them', async () => {
    await renderStatus(
      makeStatus({
        mode: 'live',
        verifyToken: 'k3y-for-the-dashboard',
        publicWebhookUrl: 'https://a1b2.ngrok.app/webhook',
        tunnel: { state: 'online', error: null, retryAt: null },
        lastEventAt: NOW - 2 * MINUTE,
      }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent('@lisbon.ceramics');
    expect(within(strip).getByText('Live')).toBeVisible();
    expect(within(strip).getByRole('button', { name: 'Settings' })).toBeVisible();
    for (const plumbing of [
      'https://a1b2.ngrok.app/webhook',
      'http://127.0.0.1:4100/webhook',
      'k3y-for-the-dashboard',
      'Webhook',
      'Tunnel',
      'Online',
      'Last event',
    ]) {
      expect(strip).not.toHaveTextContent(plumbing);
    }
    expect(within(strip).queryByRole('button', { name: /Copy/ })).toBeNull();
  });
});
