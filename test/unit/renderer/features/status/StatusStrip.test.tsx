import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SandboxBanner } from '../../../../../renderer/src/features/status/SandboxBanner';
import { StatusStrip } from '../../../../../renderer/src/features/status/StatusStrip';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
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

  it('shows the tunnel error, when it retries, and the local webhook URL when the tunnel is down', async () => {
    await renderStatus(
      makeStatus({
        tunnel: {
          state: 'error',
          error: {
            text: 'ngrok refused the authtoken. Check it in your ngrok dashboard.',
            detail: {
              key: 'errorDetail.tunnelAuthtokenRefused',
              vars: { technical: 'authentication failed: ERR_NGROK_105' },
            },
          },
          retryAt: NOW + 4_000,
        },
      }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent(
      'Error: ngrok refused the authtoken. Check it in your ngrok dashboard and enter it again in Settings. (Technical detail: authentication failed: ERR_NGROK_105)',
    );
    expect(strip).toHaveTextContent('Next attempt in 4 s');
    expect(within(strip).getByText('http://127.0.0.1:4100/webhook')).toBeVisible();
    expect(strip).toHaveTextContent('Last eventNone yet');
  });

  it('German: the tunnel’s failure, its retry and no English headline; ngrok’s words apart, marked English', async () => {
    const { store } = await storeWith(
      new FakeInboxClient({
        status: makeStatus({
          tunnel: {
            state: 'error',
            error: {
              text: 'Could not reach ngrok: failed to connect session: dns error. Check the internet connection.',
              detail: {
                key: 'errorDetail.tunnelUnreachable',
                vars: { technical: 'failed to connect session: dns error' },
              },
            },
            retryAt: NOW + 8_000,
          },
        }),
      }),
    );
    renderWithStore(<StatusStrip />, store, 'de');
    const strip = screen.getByTestId('status-strip');
    const error = strip.querySelector('.tunnel__error')!;
    expect(error).toHaveTextContent(
      ': Inlet konnte ngrok nicht erreichen. Prüfe die Internetverbindung; Inlet versucht es weiter. (Technisches Detail: failed to connect session: dns error)',
    );
    expect(strip).toHaveTextContent('Fehler');
    expect(strip).toHaveTextContent('Nächster Versuch in 8 s');
    expect(strip).not.toHaveTextContent('Could not reach');
    expect(strip).not.toHaveTextContent('Next attempt');
    // Only ngrok's own words are English, and they are marked so.
    const english = strip.querySelectorAll('[lang="en"]');
    expect([...english].map((node) => node.textContent)).toEqual([
      'failed to connect session: dns error',
    ]);
  });

  it('Portuguese: a tunnel that is off for want of an authtoken, a lost connection and a timeout', async () => {
    const fake = new FakeInboxClient({
      status: makeStatus({
        tunnel: {
          state: 'off',
          error: {
            text: 'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
            detail: { key: 'errorDetail.tunnelNotConfigured', vars: null },
          },
          retryAt: null,
        },
      }),
    });
    const { store } = await storeWith(fake);
    const unsubscribe = subscribeToMain(store, fake);
    renderWithStore(<StatusStrip />, store, 'pt-BR');
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent('Desligado: Nenhum authtoken do ngrok foi definido');
    expect(strip).not.toHaveTextContent('No ngrok authtoken');
    expect(strip.querySelector('[lang="en"]')).toBeNull();
    expect(strip.querySelector('.tunnel__retry')).toBeNull();

    act(() =>
      fake.emit(
        'app:statusChanged',
        makeStatus({
          tunnel: {
            state: 'connecting',
            error: {
              text: 'The connection to ngrok was lost (the session closed); reconnecting.',
              detail: {
                key: 'errorDetail.tunnelReconnecting',
                vars: { technical: 'the session closed' },
              },
            },
            retryAt: null,
          },
        }),
      ),
    );
    expect(strip).toHaveTextContent('Conectando…: A conexão com o ngrok caiu; reconectando.');
    expect(strip).toHaveTextContent('(Detalhe técnico: the session closed)');

    act(() =>
      fake.emit(
        'app:statusChanged',
        makeStatus({
          tunnel: {
            state: 'error',
            error: {
              text: 'Could not reach ngrok: no answer from ngrok within 15 s (is this machine online?). Check the internet connection.',
              detail: { key: 'errorDetail.tunnelTimeout', vars: { seconds: 15 } },
            },
            retryAt: NOW - 1,
          },
        }),
      ),
    );
    expect(strip).toHaveTextContent('Erro: O ngrok não respondeu em 15 s.');
    expect(strip).toHaveTextContent('Tentando de novo…');
    expect(strip.querySelector('[lang="en"]')).toBeNull();
    unsubscribe();
  });

  it('an older main without a key: its English sentence, marked as English', async () => {
    await renderStatus(
      makeStatus({
        tunnel: {
          state: 'error',
          error: { text: 'The tunnel failed: boom', detail: null },
          retryAt: null,
        },
      }),
    );
    const strip = screen.getByTestId('status-strip');
    expect(strip).toHaveTextContent('Error: The tunnel failed: boom');
    expect(strip.querySelector('[lang="en"]')).toHaveTextContent('The tunnel failed: boom');
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
