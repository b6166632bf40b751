import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectionSection } from '../../../../../renderer/src/features/settings/ConnectionSection';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
import type { AppStatus } from '../../../../../shared/domain/schemas';
import { FakeInboxClient } from '../../fake-client';
import { MINUTE, NOW, makeStatus } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

async function renderConnection(status: AppStatus) {
  const { store } = await storeWith(new FakeInboxClient({ status }));
  return renderWithStore(<ConnectionSection />, store);
}

describe('Settings → Connection', () => {
  it('shows the public webhook URL, the tunnel and the last event', async () => {
    await renderConnection(
      makeStatus({
        publicWebhookUrl: 'https://a1b2.ngrok.app/webhook',
        tunnel: { state: 'online', error: null, retryAt: null },
        lastEventAt: NOW - 2 * MINUTE,
      }),
    );
    const section = screen.getByTestId('connection-details');
    expect(within(section).getByText('https://a1b2.ngrok.app/webhook')).toBeVisible();
    expect(section).toHaveTextContent('TunnelOnline');
    expect(section).toHaveTextContent('Last event2 min. ago');
  });

  it('shows the tunnel error, when it retries, and the local webhook URL when the tunnel is down', async () => {
    await renderConnection(
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
    const section = screen.getByTestId('connection-details');
    expect(section).toHaveTextContent(
      'Error: ngrok refused the authtoken. Check it in your ngrok dashboard and enter it again in Settings. (Technical detail: authentication failed: ERR_NGROK_105)',
    );
    expect(section).toHaveTextContent('Next attempt in 4 s');
    expect(within(section).getByText('http://127.0.0.1:4100/webhook')).toBeVisible();
    expect(section).toHaveTextContent('Last eventNone yet');
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
    renderWithStore(<ConnectionSection />, store, 'de');
    const section = screen.getByTestId('connection-details');
    const error = section.querySelector('.tunnel__error')!;
    expect(error).toHaveTextContent(
      ': Inlet konnte ngrok nicht erreichen. Prüfe die Internetverbindung; Inlet versucht es weiter. (Technisches Detail: failed to connect session: dns error)',
    );
    expect(section).toHaveTextContent('Fehler');
    expect(section).toHaveTextContent('Nächster Versuch in 8 s');
    expect(section).not.toHaveTextContent('Could not reach');
    expect(section).not.toHaveTextContent('Next attempt');
    // Only ngrok's own words are English, and they are marked so.
    const english = section.querySelectorAll('[lang="en"]');
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
    renderWithStore(<ConnectionSection />, store, 'pt-BR');
    const section = screen.getByTestId('connection-details');
    expect(section).toHaveTextContent('Desligado: Nenhum authtoken do ngrok foi definido');
    expect(section).not.toHaveTextContent('No ngrok authtoken');
    expect(section.querySelector('[lang="en"]')).toBeNull();
    expect(section.querySelector('.tunnel__retry')).toBeNull();

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
    expect(section).toHaveTextContent('Conectando…: A conexão com o ngrok caiu; reconectando.');
    expect(section).toHaveTextContent('(Detalhe técnico: the session closed)');

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
    expect(section).toHaveTextContent('Erro: O ngrok não respondeu em 15 s.');
    expect(section).toHaveTextContent('Tentando de novo…');
    expect(section.querySelector('[lang="en"]')).toBeNull();
    unsubscribe();
  });

  it('an older main without a key: its English sentence, marked as English', async () => {
    await renderConnection(
      makeStatus({
        tunnel: {
          state: 'error',
          error: { text: 'The tunnel failed: boom', detail: null },
          retryAt: null,
        },
      }),
    );
    const section = screen.getByTestId('connection-details');
    expect(section).toHaveTextContent('Error: The tunnel failed: boom');
    expect(section.querySelector('[lang="en"]')).toHaveTextContent('The tunnel failed: boom');
  });

  it('leaves the verify token to “For Meta’s dashboard”, its one place in Settings', async () => {
    await renderConnection(makeStatus({ mode: 'live', verifyToken: 'k3y-for-the-dashboard' }));
    expect(screen.queryByText('k3y-for-the-dashboard')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Copy verify token' })).toBeNull();
  });

  it('copies the webhook URL and confirms it', async () => {
    const { user } = await renderConnection(makeStatus());
    await user.click(screen.getByRole('button', { name: 'Copy webhook URL' }));
    expect(await navigator.clipboard.readText()).toBe('http://127.0.0.1:4100/webhook');
    expect(screen.getByRole('status')).toHaveTextContent('Copied');
  });

  it('says so when the clipboard refuses', async () => {
    const { user } = await renderConnection(makeStatus());
    navigator.clipboard.writeText = () =>
      Promise.reject(new DOMException('denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy webhook URL' }));
    expect(screen.getByRole('status')).toHaveTextContent("Couldn't copy");
  });
});
