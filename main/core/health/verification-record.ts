import type { Clock, KeyValueStore } from '../ports';

/**
 * Kept apart per mode: the embedded emulator verifies the sandbox's listener, which says nothing
 * about whether Meta has verified the owner's app.
 */
const VERIFICATION_KEYS = {
  live: 'health.lastVerificationAt',
  sandbox: 'health.sandboxVerificationAt',
} as const;

/**
 * When the webhook verification GET was last answered, for the app in `mode`. Kept across runs:
 * Meta verifies once, when the owner saves the callback URL, so a restart must not forget that it
 * did.
 */
export function verificationRecord(
  kv: KeyValueStore,
  clock: Clock,
  mode: keyof typeof VERIFICATION_KEYS,
) {
  const key = VERIFICATION_KEYS[mode];
  return {
    record: (): void => kv.set(key, clock.now()),
    lastAt: (): number | null => {
      const at = kv.get(key);
      return typeof at === 'number' ? at : null;
    },
  };
}
