import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { untranslated } from '../../../../../shared/domain/failure-reason';
import type { Settings } from '../../../../../shared/ipc/accounts-contract';
import { FakeInboxClient } from '../../fake-client';
import { CAFE, makeSettings, SHOP, statusWithCafeToReconnect } from '../../fixtures';
import { openSettings, renderApp } from '../../render-app';

function clientWithAccounts() {
  return new FakeInboxClient({
    status: statusWithCafeToReconnect({
      text: 'The Instagram access token has expired and cannot be refreshed.',
      detail: { key: 'errorDetail.tokenExpired', vars: null },
    }),
  });
}

describe('Settings panel', () => {
  it('shows each account’s state and reconnects the one that needs it in one click', async () => {
    const client = clientWithAccounts();
    const view = renderApp(client);
    // Visible without opening anything: the rail's Settings button says a login is needed.
    await screen.findByTestId('reconnect-badge');
    await view.user.click(screen.getByRole('button', { name: 'Settings (Login needed)' }));
    const rows = await screen.findAllByTestId('account');
    expect(rows.map((row) => row.getAttribute('data-state'))).toEqual([
      'connected',
      'reconnect-needed',
    ]);
    expect(rows[1]).toHaveTextContent('Needs a new login');
    expect(rows[1]).toHaveTextContent('has expired');
    expect(within(rows[0]!).queryByRole('button', { name: 'Log in again' })).toBeNull();

    await view.user.click(within(rows[1]!).getByRole('button', { name: 'Log in again' }));
    expect(client.accounts.reconnect).toHaveBeenCalledWith({ igUserId: CAFE });
    const link = await screen.findByRole('link', { name: 'Open the Instagram login' });
    expect(link).toHaveAttribute('href', expect.stringContaining('instagram.com/oauth/authorize'));
    expect(link).toHaveAttribute('target', '_blank');

    act(() =>
      client.emit('accounts:connectFinished', {
        ok: true,
        igUserId: CAFE,
        username: 'lisbon.cafe',
      }),
    );
    expect(await screen.findByText('@lisbon.cafe is connected.')).toBeVisible();
  });

  it('shows each account with its own profile picture, else its initials', async () => {
    const status = statusWithCafeToReconnect(untranslated('Login needed.'));
    const picture = '/archive/media/0b6f1a52-7c1e-4a8e-9d65-2f4f8f1e2a3b.jpg';
    status.accounts[0] = { ...status.accounts[0]!, pictureUrl: picture };
    const view = renderApp(new FakeInboxClient({ status }));
    await view.user.click(await screen.findByRole('button', { name: /Settings/ }));
    const [shop, cafe] = await screen.findAllByTestId('account');
    expect(shop!.querySelector('img.avatar')).toHaveAttribute('src', picture);
    expect(cafe!.querySelector('img')).toBeNull();
    expect(cafe!.querySelector('.avatar')).toHaveTextContent('LC');
  });

  it('says why a login failed, in the user’s words and main’s', async () => {
    const client = clientWithAccounts();
    const { user, dialog } = await openSettings(client);
    await user.click(within(dialog).getByRole('button', { name: 'Connect another account' }));
    expect(client.accounts.connect).toHaveBeenCalledOnce();
    act(() =>
      client.emit('accounts:connectFinished', {
        ok: false,
        code: 'denied',
        reason: {
          text: 'You declined the Instagram login, so no account was connected.',
          detail: { key: 'errorDetail.loginDeclined', vars: null },
        },
      }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The account was not connected.');
    expect(alert).toHaveTextContent('The login was declined.');
  });

  it('shows a start failure (e.g. no tunnel) instead of waiting forever', async () => {
    const client = clientWithAccounts();
    client.accounts.connect.mockRejectedValueOnce(
      new BridgeError('NOT_CONNECTED', 'Instagram only sends the login back to an https address'),
    );
    const { user, dialog } = await openSettings(client);
    await user.click(within(dialog).getByRole('button', { name: 'Connect another account' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('https address');
    expect(within(dialog).queryByRole('link', { name: 'Open the Instagram login' })).toBeNull();
  });

  it('disconnects only after a confirmation', async () => {
    const client = clientWithAccounts();
    const { user, dialog } = await openSettings(client);
    const row = within(dialog).getAllByTestId('account')[0]!;
    await user.click(within(row).getByRole('button', { name: 'Disconnect' }));
    expect(client.accounts.disconnect).not.toHaveBeenCalled();
    expect(row).toHaveTextContent('Its messages stay in your archive');
    await user.click(within(row).getByRole('button', { name: 'Disconnect' }));
    expect(client.accounts.disconnect).toHaveBeenCalledWith({ igUserId: SHOP });
  });

  it('secrets are write-only: never shown, sent once when typed, then cleared', async () => {
    const client = clientWithAccounts();
    const { user, dialog } = await openSettings(client);
    const secret = await within(dialog).findByLabelText('Instagram app secret');
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAttribute('placeholder', 'Saved (never shown)');

    await user.type(secret, 'a-brand-new-app-secret');
    await user.clear(within(dialog).getByLabelText('Graph API version'));
    await user.type(within(dialog).getByLabelText('Graph API version'), 'v25.0');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(client.settings.update).toHaveBeenCalledWith({
      appSecret: 'a-brand-new-app-secret',
      graphVersion: 'v25.0',
    });
    expect(await within(dialog).findByText(/Saved\. Inlet reconnected/)).toBeVisible();
    expect(secret).toHaveValue('');
  });

  it('takes the Meta app secret beside the Instagram one, write-only, and can remove it', async () => {
    const client = clientWithAccounts();
    const { user, dialog } = await openSettings(client);
    const secret = await within(dialog).findByLabelText('Meta app secret (optional)');
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toHaveAttribute('placeholder', 'Not set');
    expect(within(dialog).queryByRole('button', { name: 'Remove the Meta app secret' })).toBeNull();

    await user.type(secret, 'the-meta-app-secret');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(client.settings.update).toHaveBeenCalledWith({ metaAppSecret: 'the-meta-app-secret' });
    await waitFor(() => expect(secret).toHaveAttribute('placeholder', 'Saved (never shown)'));
    expect(secret).toHaveValue('');

    await user.click(within(dialog).getByRole('button', { name: 'Remove the Meta app secret' }));
    expect(client.settings.update).toHaveBeenLastCalledWith({ clearMetaAppSecret: true });
  });

  it('shows the Meta app secret read-only when the environment sets it', async () => {
    const client = clientWithAccounts();
    client.data.settings = makeSettings({
      hasMetaAppSecret: true,
      fromEnvironment: ['metaAppSecret'],
    });
    const { dialog } = await openSettings(client);
    expect(await within(dialog).findByLabelText(/^Meta app secret \(optional\)/)).toBeDisabled();
    expect(within(dialog).queryByRole('button', { name: 'Remove the Meta app secret' })).toBeNull();
  });

  it('shows the redirect URI and verify token to copy, and what the environment fixes', async () => {
    const client = clientWithAccounts();
    client.data.settings = makeSettings({ fromEnvironment: ['appId', 'verifyToken'] });
    const { dialog } = await openSettings(client);
    expect(await within(dialog).findByTestId('redirect-uri')).toHaveTextContent(
      'https://calm-otter.ngrok.app/oauth/callback',
    );
    expect(within(dialog).getByRole('button', { name: 'Copy verify token' })).toBeVisible();
    expect(within(dialog).queryByRole('button', { name: 'Generate a new token' })).toBeNull();
    expect(within(dialog).getByLabelText(/^Instagram app ID/)).toBeDisabled();
  });

  it('holds the connection details the inbox no longer shows: webhook URL and tunnel', async () => {
    const { dialog } = await openSettings(clientWithAccounts());
    const connection = within(dialog).getByRole('region', { name: 'Connection' });
    expect(connection).toHaveTextContent('http://127.0.0.1:4100/webhook');
    expect(connection).toHaveTextContent('Tunnel');
    expect(within(connection).getByRole('button', { name: 'Copy webhook URL' })).toBeVisible();
  });

  it('says honestly when secrets are kept in memory only, and where no redirect URI exists', async () => {
    const client = clientWithAccounts();
    client.data.settings = makeSettings({
      vault: {
        persistent: false,
        reason: untranslated('no keyring'),
        canAcceptUnprotected: false,
        unprotectedAccepted: false,
      },
      redirectUri: null,
      redirectUriProblem: untranslated('The tunnel is not online.'),
    });
    const { dialog } = await openSettings(client);
    expect(await within(dialog).findByRole('note')).toHaveTextContent('in memory only');
    // No plaintext-equivalent store to opt into here (e.g. headless without INLET_VAULT_KEY).
    expect(within(dialog).queryByRole('checkbox', { name: /Keep them on disk anyway/ })).toBeNull();
    expect(within(dialog).getByText('The tunnel is not online.')).toBeVisible();
  });

  it('on the desktop, takes the https redirect URI the login window catches', async () => {
    const client = clientWithAccounts();
    client.data.settings = makeSettings({ hasLoginWindow: true, redirectUri: null });
    const { user, dialog } = await openSettings(client);
    const uri = await within(dialog).findByLabelText('Redirect URI for the login window');
    await user.type(uri, 'https://shop.example.com/oauth/callback');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(client.settings.update).toHaveBeenCalledWith({
      loginRedirectUri: 'https://shop.example.com/oauth/callback',
    });
  });

  it('has no login-window field where there is no login window (headless)', async () => {
    const { dialog } = await openSettings(clientWithAccounts());
    await within(dialog).findByLabelText('Instagram app secret');
    expect(within(dialog).queryByLabelText('Redirect URI for the login window')).toBeNull();
  });

  it('stores on disk without protection only after an explicit, honest opt-in', async () => {
    const client = clientWithAccounts();
    client.data.settings = makeSettings({
      vault: {
        persistent: false,
        reason: untranslated('basic_text'),
        canAcceptUnprotected: true,
        unprotectedAccepted: false,
      },
    });
    client.settings.update.mockImplementationOnce(async () => ({
      ...client.data.settings,
      vault: {
        persistent: true,
        reason: null,
        canAcceptUnprotected: true,
        unprotectedAccepted: true,
      },
    }));
    const { user, dialog } = await openSettings(client);
    const accept = await within(dialog).findByRole('checkbox', {
      name: /no better than plain text/,
    });
    expect(accept).not.toBeChecked();
    await user.click(accept);
    expect(client.settings.update).toHaveBeenCalledWith({ acceptUnprotectedStorage: true });
    expect(await within(dialog).findByRole('note')).toHaveTextContent('without real protection');
    expect(
      within(dialog).getByRole('checkbox', { name: /Keep them on disk anyway/ }),
    ).toBeChecked();
  });

  it('closes with Escape', async () => {
    const client = clientWithAccounts();
    const { user } = await openSettings(client);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows skeleton lines while the settings load, and says so to screen readers', async () => {
    const client = new FakeInboxClient();
    let answer: (settings: Settings) => void = () => {};
    client.settings.get.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const { dialog } = await openSettings(client);
    expect(within(dialog).getByText('Loading settings…')).toHaveClass('visually-hidden');
    expect(within(dialog).getByTestId('skeleton-rows')).toHaveAttribute('aria-hidden', 'true');

    await act(async () => answer(makeSettings()));
    expect(within(dialog).queryByTestId('skeleton-rows')).not.toBeInTheDocument();
    expect(within(dialog).queryByText('Loading settings…')).not.toBeInTheDocument();
  });
});
