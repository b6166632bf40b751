import type { StartAtLogin } from '../../../shared/ipc/desktop-contract';
import { AppError } from '../errors';
import type { HandlersFor } from '../ipc/dispatch';
import type { LoginItem } from '../ports';

const HEADLESS: StartAtLogin = { isEnabled: false, unavailable: 'headless', needsApproval: false };

/** Plain words for the log and the refused command; the Settings screen has its own, translated. */
const REASONS: Record<NonNullable<StartAtLogin['unavailable']>, string> = {
  linux:
    'Inlet cannot tell where your desktop keeps its startup applications (neither XDG_CONFIG_HOME nor HOME is set): add Inlet, with --hidden, to them yourself.',
  development: 'A development run cannot start at login: only an installed Inlet can.',
  headless: '`inlet serve` does not start at login: use your system’s service manager.',
};

/**
 * Settings → "Start Inlet when I log in". The OS login item is the desktop shell's (`loginItem`);
 * without one (headless) the setting reads as unavailable. Turning it on where it cannot work is
 * refused with the reason, so the toggle never looks on while nothing happens.
 */
export function startAtLoginHandlers(loginItem: LoginItem | null) {
  const read = (): StartAtLogin => loginItem?.read() ?? HEADLESS;
  return {
    'desktop:getStartAtLogin': async () => read(),
    'desktop:setStartAtLogin': async ({ isEnabled }) => {
      const current = read();
      if (loginItem === null || current.unavailable !== null) {
        throw new AppError('INVALID_INPUT', REASONS[current.unavailable ?? 'headless']);
      }
      return loginItem.write(isEnabled);
    },
  } satisfies HandlersFor<'desktop'>;
}
