import { z } from 'zod';

/**
 * Why this copy cannot start at login: Linux (Electron registers login items only on macOS and
 * Windows), a development run (it would register the bare Electron binary), or headless mode.
 */
export const START_AT_LOGIN_UNAVAILABLE = ['linux', 'development', 'headless'] as const;

export const StartAtLoginSchema = z.object({
  /** Inlet starts when the owner logs in, hidden in the tray (menu bar on macOS). */
  isEnabled: z.boolean(),
  /** Null where the toggle works; otherwise why it cannot, for the Settings screen to say. */
  unavailable: z.enum(START_AT_LOGIN_UNAVAILABLE).nullable(),
  /** macOS 13+: registered, but the owner must allow it in System Settings → Login Items. */
  needsApproval: z.boolean(),
});
export type StartAtLogin = z.infer<typeof StartAtLoginSchema>;

/** What only the desktop shell can do; headless answers with `unavailable: 'headless'`. */
export const desktopInvokeContract = {
  'desktop:getStartAtLogin': { input: z.void(), output: StartAtLoginSchema },
  /** Refused (INVALID_INPUT) where `unavailable` is set: the toggle never silently does nothing. */
  'desktop:setStartAtLogin': {
    input: z.object({ isEnabled: z.boolean() }),
    output: StartAtLoginSchema,
  },
} as const;
