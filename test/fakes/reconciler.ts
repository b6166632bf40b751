import { untranslated } from '../../shared/domain/failure-reason';
import type { LookUpResult, SendReconciler } from '../../main/core/inbox/outbox';

type LookUpInput = Parameters<SendReconciler['lookUp']>[0];

/**
 * A Conversations API stand-in that answers from a script; once the script runs out it cannot
 * check (`unavailable`), which leaves an unknown send unknown: the safe default.
 */
export function scriptedReconciler(
  results: LookUpResult[] = [],
): SendReconciler & { calls: LookUpInput[] } {
  const calls: LookUpInput[] = [];
  return {
    calls,
    lookUp: async (input) => {
      calls.push(input);
      return results.shift() ?? { state: 'unavailable', reason: untranslated('not scripted') };
    },
  };
}

/** Outbox options for tests that are not about reconciliation: no echo grace, no real waits. */
export const quietReconciliation = () => ({
  reconciler: scriptedReconciler(),
  echoGraceMs: 0,
  wait: async () => {},
});
