import type { FailureReason } from '../../../shared/domain/failure-reason';
import {
  healthText,
  type HealthKey,
  type LocalizedVars,
} from '../../../shared/domain/localized-text';
import type { HealthCheck, HealthFix, HealthState } from '../../../shared/ipc/health-contract';

const SEVERITY: Record<HealthState, number> = { ok: 0, unknown: 1, warning: 2, failing: 3 };

/** The state the light shows: the worst of the checks; no checks yet means nothing is known. */
export function overallState(checks: readonly HealthCheck[]): HealthState {
  if (checks.length === 0) return 'unknown';
  return checks.reduce<HealthState>(
    (worst, check) => (SEVERITY[check.state] > SEVERITY[worst] ? check.state : worst),
    'ok',
  );
}

/** A check's sentence: the English text for logs and the CLI, and its `health.*` key. */
export function healthReason(text: string, key: HealthKey, vars: LocalizedVars | null = null) {
  return { text, detail: healthText(key, vars) } satisfies FailureReason;
}

export function ownerSteps(
  text: string,
  key: HealthKey,
  vars: LocalizedVars | null = null,
): HealthFix {
  return { kind: 'owner', steps: healthReason(text, key, vars) };
}
