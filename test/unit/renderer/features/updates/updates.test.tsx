import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../../../../../shared/ipc/updates-contract';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { FakeInboxClient } from '../../fake-client';
import { NOW } from '../../fixtures';
import { openSettings, renderApp } from '../../render-app';

const NOTES = 'Faster search\n<img src=x onerror=alert(1)> shown as text';

function clientWith(change: Partial<UpdateState> = {}) {
  const client = new FakeInboxClient();
  client.data.updates = { ...client.data.updates, ...change };
  return client;
}

/** Main's update state moved: the window hears it as main pushes it. */
function push(client: FakeInboxClient, change: Partial<UpdateState>) {
  client.data.updates = { ...client.data.updates, ...change };
  act(() => client.emit('updates:stateChanged', { ...client.data.updates }));
}

const READY: Partial<UpdateState> = {
  phase: 'ready',
  update: { version: '0.2.0', notes: NOTES },
  lastCheckedAt: NOW - 60_000,
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the update notice', () => {
  it('stays away while nothing is ready, then offers the restart with the notes as plain text', async () => {
    const client = clientWith();
    const { user } = renderApp(client);
    await screen.findByTestId('rail');
    push(client, { phase: 'downloading', update: { version: '0.2.0', notes: NOTES } });
    expect(screen.queryByTestId('update-notice')).toBeNull();

    push(client, READY);
    const notice = await screen.findByRole('complementary', { name: 'New version of Inlet' });
    expect(notice).toHaveTextContent('Version 0.2.0 of Inlet is ready.');
    expect(screen.queryByTestId('update-notes')).toBeNull();
    const whatsNew = within(notice).getByRole('button', { name: "What's new" });
    await user.click(whatsNew);
    expect(whatsNew).toHaveAttribute('aria-expanded', 'true');
    const notes = screen.getByTestId('update-notes');
    expect(notes.textContent).toBe(NOTES);
    expect(notes.querySelector('img')).toBeNull();

    await user.click(within(notice).getByRole('button', { name: 'Restart to update' }));
    expect(client.updates.restart).toHaveBeenCalledWith({ now: false });
    expect(await screen.findByText('Restarting to update…')).toBeVisible();
  });

  it('waits for messages still going out, says so, and restarts now or not at all as asked', async () => {
    const client = clientWith({ ...READY, pendingSends: 2 });
    const { user } = renderApp(client);
    const notice = await screen.findByTestId('update-notice');
    await user.click(within(notice).getByRole('button', { name: 'Restart to update' }));
    expect(notice).toHaveAttribute('data-phase', 'waiting-for-outbox');
    expect(notice).toHaveTextContent(
      'Inlet will restart to update as soon as the 2 messages still going out have been sent.',
    );
    expect(notice).toHaveTextContent('Messages still waiting are sent after the restart.');

    push(client, { pendingSends: 1 });
    expect(notice).toHaveTextContent('as soon as the message still going out has been sent.');

    await user.click(within(notice).getByRole('button', { name: "Don't restart" }));
    expect(client.updates.cancelRestart).toHaveBeenCalledTimes(1);
    expect(notice).toHaveAttribute('data-phase', 'ready');

    await user.click(within(notice).getByRole('button', { name: 'Restart to update' }));
    await user.click(within(notice).getByRole('button', { name: 'Restart now' }));
    expect(client.updates.restart).toHaveBeenLastCalledWith({ now: true });
    expect(notice).toHaveAttribute('data-phase', 'installing');
  });

  it('goes away on "Later" until a newer version is ready', async () => {
    const client = clientWith(READY);
    const { user } = renderApp(client);
    const notice = await screen.findByTestId('update-notice');
    await user.click(within(notice).getByRole('button', { name: 'Later' }));
    expect(screen.queryByTestId('update-notice')).toBeNull();
    expect(client.updates.restart).not.toHaveBeenCalled();

    push(client, { update: { version: '0.3.0', notes: '' } });
    const next = await screen.findByTestId('update-notice');
    expect(next).toHaveTextContent('Version 0.3.0 of Inlet is ready.');
    expect(within(next).queryByRole('button', { name: "What's new" })).toBeNull();
  });

  it('says calmly when the restart was refused or the install failed, and keeps the offer', async () => {
    const client = clientWith(READY);
    client.updates.restart.mockRejectedValueOnce(
      new BridgeError('INVALID_INPUT', 'No update is ready to install'),
    );
    const { user } = renderApp(client);
    const notice = await screen.findByTestId('update-notice');
    await user.click(within(notice).getByRole('button', { name: 'Restart to update' }));
    expect(await within(notice).findByRole('alert')).toHaveTextContent(
      "The update couldn't be started",
    );

    push(client, { problem: 'install-failed' });
    expect(notice).toHaveTextContent(
      "The update couldn't be installed, so Inlet is still on version 0.1.0. You can try again.",
    );
    expect(within(notice).getByRole('button', { name: 'Restart to update' })).toBeEnabled();
  });
});

describe('Settings → Updates and About Inlet', () => {
  it('turns automatic checks and test versions on and off through main', async () => {
    const client = clientWith();
    const { user, dialog } = await openSettings(client);
    const section = within(dialog).getByTestId('updates-settings');
    const auto = within(section).getByRole('checkbox', {
      name: 'Look for new versions automatically',
    });
    const tests = within(section).getByRole('checkbox', { name: 'Also offer test versions' });
    expect(auto).toBeChecked();
    expect(tests).not.toBeChecked();

    await user.click(auto);
    expect(client.updates.setSettings).toHaveBeenLastCalledWith({ autoCheck: false });
    expect(auto).not.toBeChecked();
    await user.click(tests);
    expect(client.updates.setSettings).toHaveBeenLastCalledWith({ prereleases: true });
    expect(tests).toBeChecked();
  });

  it('checks now on request, shows the check under way and when it last happened', async () => {
    const client = clientWith();
    const { user, dialog } = await openSettings(client);
    const section = within(dialog).getByTestId('updates-settings');
    expect(within(dialog).getByTestId('update-status')).toHaveTextContent(
      "This is version 0.1.0 of Inlet. It hasn't looked for a new version yet.",
    );
    expect(within(section).getByTestId('update-last-checked')).toHaveTextContent('Not checked yet');

    await user.click(within(section).getByRole('button', { name: 'Check now' }));
    expect(client.updates.check).toHaveBeenCalledTimes(1);
    push(client, { phase: 'checking' });
    expect(within(section).getByRole('button', { name: 'Checking…' })).toBeDisabled();

    push(client, { phase: 'idle', lastCheckedAt: NOW - 5 * 60_000 });
    expect(within(dialog).getByTestId('update-status')).toHaveTextContent(
      'Inlet is up to date (version 0.1.0).',
    );
    expect(within(section).getByTestId('update-last-checked')).toHaveTextContent(
      /^Last checked 5 min/,
    );

    push(client, { phase: 'downloading', update: { version: '0.2.0', notes: '' } });
    expect(within(dialog).getByTestId('update-status')).toHaveTextContent(
      'Downloading version 0.2.0 in the background…',
    );
    push(client, { phase: 'ready' });
    await user.click(within(section).getByRole('button', { name: 'Restart to update' }));
    expect(client.updates.restart).toHaveBeenCalledWith({ now: false });
  });

  it.each([
    ['offline', "Inlet couldn't reach GitHub to look for a new version."],
    ['rate-limited', 'GitHub asked Inlet to wait before looking for a new version again.'],
    ['bad-signature', "A downloaded update didn't pass the safety check, so Inlet threw it away."],
    ['download-failed', "The new version didn't finish downloading."],
    ['bad-feed', "GitHub's answer about new versions didn't make sense"],
    ['unknown', "Looking for a new version didn't work this time."],
  ] as const)('explains a %s problem in plain words, without an alarm', async (problem, text) => {
    const client = clientWith({ problem, lastCheckedAt: NOW - 60_000 });
    const { dialog } = await openSettings(client);
    const shown = within(dialog).getByTestId('update-problem');
    expect(shown).toHaveTextContent(text);
    expect(shown).toHaveTextContent('The details are in the diagnostics');
    expect(within(dialog).getByTestId('update-status')).toHaveTextContent(
      'This is version 0.1.0 of Inlet.',
    );
    expect(screen.queryByTestId('update-notice')).toBeNull();
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });

  it.each([
    ['headless', 'This Inlet runs in your browser from a copy on this computer'],
    ['package-manager', "installed by your system's package manager"],
    ['development', 'This is a development copy of Inlet'],
  ] as const)(
    'says why a %s copy does not update itself and offers no controls that cannot work',
    async (unsupported, text) => {
      const client = clientWith({ unsupported, releasesUrl: null });
      const { dialog } = await openSettings(client);
      const about = within(dialog).getByTestId('about');
      expect(within(about).getByTestId('about-version')).toHaveTextContent('0.1.0');
      expect(within(about).getByTestId('update-status')).toHaveTextContent(text);
      expect(within(dialog).queryByTestId('updates-settings')).toBeNull();
      expect(within(dialog).queryByRole('button', { name: 'Check now' })).toBeNull();
      expect(within(dialog).queryByRole('checkbox', { name: /new versions/ })).toBeNull();
      expect(within(about).queryByRole('link')).toBeNull();
    },
  );

  it('links to the releases page in the system browser', async () => {
    const { dialog } = await openSettings(clientWith());
    const link = within(dialog).getByRole('link', { name: "What's new in each version (GitHub)" });
    expect(link).toHaveAttribute('href', 'https://github.com/inlet-app/inlet/releases');
    expect(link).toHaveAttribute('target', '_blank');
  });

  it('copies the diagnostics main gathers when asked', async () => {
    const client = clientWith();
    const { user, dialog } = await openSettings(client);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    await user.click(within(dialog).getByRole('button', { name: 'Copy diagnostics' }));
    expect(client.app.getDiagnostics).toHaveBeenCalledTimes(1);
    expect(writeText).toHaveBeenCalledWith(client.data.diagnostics);
    expect(await within(dialog).findByText('Copied')).toBeVisible();
  });

  it('shows the diagnostics to copy by hand where the clipboard refuses them', async () => {
    const client = clientWith();
    const { user, dialog } = await openSettings(client);
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    await user.click(within(dialog).getByRole('button', { name: 'Copy diagnostics' }));
    const text = await within(dialog).findByRole('textbox', { name: /select the text below/ });
    expect(text).toHaveValue(client.data.diagnostics);
  });

  it('says so when main could not gather the diagnostics', async () => {
    const client = clientWith();
    client.app.getDiagnostics.mockRejectedValueOnce(new BridgeError('INTERNAL', 'log unreadable'));
    const { user, dialog } = await openSettings(client);
    await user.click(within(dialog).getByRole('button', { name: 'Copy diagnostics' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "The diagnostics couldn't be gathered",
    );
  });
});
