import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeInboxClient } from '../../fake-client';
import { openSettings } from '../../render-app';

async function startAtLoginSection(client: FakeInboxClient) {
  const view = await openSettings(client);
  const section = await within(view.dialog).findByTestId('start-at-login');
  const toggle = await within(section).findByRole('checkbox', {
    name: 'Start Inlet when I log in',
  });
  return { ...view, section, toggle };
}

describe('Settings → Start at login', () => {
  it('turns the login item on and off through main', async () => {
    const client = new FakeInboxClient();
    const { user, section, toggle } = await startAtLoginSection(client);
    expect(toggle).not.toBeChecked();
    expect(toggle).toBeEnabled();
    expect(section).toHaveTextContent('in the tray');
    await user.click(toggle);
    expect(client.desktop.setStartAtLogin).toHaveBeenLastCalledWith({ isEnabled: true });
    expect(await within(section).findByRole('checkbox')).toBeChecked();
    expect(client.data.startAtLogin.isEnabled).toBe(true);
    await user.click(toggle);
    expect(client.desktop.setStartAtLogin).toHaveBeenLastCalledWith({ isEnabled: false });
    expect(client.data.startAtLogin.isEnabled).toBe(false);
  });

  it('on a Linux with no config folder shows the toggle disabled with the reason, never a switch that does nothing', async () => {
    const client = new FakeInboxClient();
    client.data.startAtLogin = { isEnabled: false, unavailable: 'linux', needsApproval: false };
    const { user, section, toggle } = await startAtLoginSection(client);
    expect(toggle).toBeDisabled();
    expect(section).toHaveTextContent('neither XDG_CONFIG_HOME nor HOME is set');
    expect(section).toHaveTextContent('--hidden');
    await user.click(toggle);
    expect(client.desktop.setStartAtLogin).not.toHaveBeenCalled();
  });

  it('says when macOS needs the owner to approve the login item', async () => {
    const client = new FakeInboxClient();
    client.data.startAtLogin = { isEnabled: true, unavailable: null, needsApproval: true };
    const { section } = await startAtLoginSection(client);
    expect(within(section).getByRole('note')).toHaveTextContent('Login Items');
  });

  it('shows why a change failed', async () => {
    const client = new FakeInboxClient();
    const { user, section, toggle } = await startAtLoginSection(client);
    client.data.startAtLogin = { isEnabled: false, unavailable: 'headless', needsApproval: false };
    await user.click(toggle);
    expect(await within(section).findByRole('alert')).toHaveTextContent(
      'Start at login could not be changed',
    );
    expect(screen.getByTestId('start-at-login')).toBe(section);
  });
});
