import type { MenuItemConstructorOptions } from 'electron';
import type { UnreadText } from '../core/ports';

export type TrayMenuActions = {
  /** Brings the main window forward (Linux trays report no clicks: the item is the only way). */
  open: () => void;
  /** Really quits: stops the core and exits, unlike closing the window. */
  quit: () => void;
};

/**
 * The tray menu for what the indicators show now: the unread count as a disabled line (once the
 * core has said it), "Open Inlet", and "Quit Inlet". A pure function of its input, so the shell
 * only builds the Menu from it.
 */
export function trayMenuTemplate(
  text: UnreadText,
  actions: TrayMenuActions,
): MenuItemConstructorOptions[] {
  return [
    ...(text.description === ''
      ? []
      : [
          { label: text.description, enabled: false },
          { type: 'separator' } satisfies MenuItemConstructorOptions,
        ]),
    { label: text.open, click: actions.open },
    { type: 'separator' },
    { label: text.quit, click: actions.quit },
  ];
}
