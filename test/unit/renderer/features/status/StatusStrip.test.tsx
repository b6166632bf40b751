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
  it('in sandbox mode, says plainly that nothing is real and how to connect a real account', async () => {
    await renderStatus(makeStatus({ mode: 'sandbox', accounts: [] }));
    const banner = screen.getByTestId('sandbox-banner');
    expect(banner).toHaveTextContent('simulated');
    expect(banner).toHaveTextContent('nothing you send reaches Instagram');
    expect(banner).toHaveTextContent('INLET_APP_ID');
    expect(banner).toHaveTextContent('INLET_APP_SECRET');
    expect(within(screen.getByTestId('status-strip')).getByText('Sandbox')).toBeVisible();
  });

  it('is absent with a live account', async () => {
    await renderStatus(makeStatus({ mode: 'live' }));
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('status-strip')).getByText('Live')).toBeVisible();
  });
});

describe('StatusStrip', () => {
  it('shows the account, the public webhook URL, the tunnel and the last event', async () => {
    await renderStatus(
      makeStatus({
        publicWebhookUrl: 'https://a1b2.ngrok.app/webhook',
        tunnel: { state: 'online', error: null, retryAt: null },
        lastEventAt: NOW - 2 * MINUTE,
      }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent('@lisbon.ceramics');
    expect(within(strip).getByText('https://a1b2.ngrok.app/webhook')).toBeVisible();
    expect(strip).toHaveTextContent('TunnelOnline');
    expect(strip).toHaveTextContent('Last event2 min. ago');
  });

  it('shows the tunnel error and the local webhook URL when the tunnel is down', async () => {
    await renderStatus(
      makeStatus({ tunnel: { state: 'error', error: 'authentication failed', retryAt: null } }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent('Error: authentication failed');
    expect(within(strip).getByText('http://127.0.0.1:4100/webhook')).toBeVisible();
    expect(strip).toHaveTextContent('Last eventNone yet');
  });

  it('offers the verify token to copy beside the callback URL in live mode only', async () => {
    const { user } = await renderStatus(
      makeStatus({ mode: 'live', verifyToken: 'k3y-for-the-dashboard' }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(within(strip).getByText('k3y-for-the-dashboard')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Copy verify token' }));
    expect(await navigator.clipboard.readText()).toBe('k3y-for-the-dashboard');
  });

  it('does not show the sandbox emulator’s own verify token', async () => {
    await renderStatus(makeStatus({ mode: 'sandbox', verifyToken: 'emulator-token' }));
    expect(screen.queryByText('emulator-token')).not.toBeInTheDocument();
  });

  it('copies the webhook URL and confirms it', async () => {
    const { user } = await renderStatus(makeStatus());
    await user.click(screen.getByRole('button', { name: 'Copy webhook URL' }));
    expect(await navigator.clipboard.readText()).toBe('http://127.0.0.1:4100/webhook');
    expect(screen.getByRole('status')).toHaveTextContent('Copied');
  });

  it('says so when the clipboard refuses', async () => {
    const { user } = await renderStatus(makeStatus());
    navigator.clipboard.writeText = () =>
      Promise.reject(new DOMException('denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy webhook URL' }));
    expect(screen.getByRole('status')).toHaveTextContent("Couldn't copy");
  });
});
