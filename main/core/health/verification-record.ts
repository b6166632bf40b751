import type { Clock, KeyValueStore } from '../ports';

const LAST_VERIFICATION_KEY = 'health.lastVerificationAt';

/**
 * When Meta last called the webhook verification GET. Kept across runs: Meta verifies once, when
 * the owner saves the callback URL, so a restart must not forget that it did.
 */
export function verificationRecord(kv: KeyValueStore, clock: Clock) {
  return {
    record: (): void => kv.set(LAST_VERIFICATION_KEY, clock.now()),
    lastAt: (): number | null => {
      const at = kv.get(LAST_VERIFICATION_KEY);
      return typeof at === 'number' ? at : null;
    },
  };
}
