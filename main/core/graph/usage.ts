/**
 * Rate-limit hints Meta attaches to Graph responses (docs/platform.md#usage-headers). Headers are
 * third-party input: anything malformed is ignored, nothing here throws.
 */

export type GraphUsage = {
  /** Highest of `call_count`/`total_time`/`total_cputime` in `X-App-Usage` (throttled at 100). */
  appUsagePercent: number | null;
  /** Highest of the same counters over every entry of `X-Business-Use-Case-Usage`. */
  businessUsagePercent: number | null;
  /**
   * `estimated_time_to_regain_access` (minutes, docs/platform.md#usage-headers) converted to
   * milliseconds.
   */
  regainAccessMs: number | null;
};

/** Meta throttles at 100 %; docs/platform.md#usage-headers says to back off before that. */
export const SLOW_DOWN_PERCENT = 80;

const COUNTERS = ['call_count', 'total_time', 'total_cputime'] as const;
const MINUTE_MS = 60_000;

export function parseUsageHeaders(headers: Headers): GraphUsage {
  const app = parseHeaderJson(headers.get('x-app-usage'));
  const business = parseHeaderJson(headers.get('x-business-use-case-usage'));
  // BUC usage is keyed by object id (the IG account), each holding an array of use cases.
  const useCases = isRecord(business)
    ? Object.values(business).flatMap((entry): unknown[] => (Array.isArray(entry) ? entry : []))
    : [];
  const regainMinutes = maxOf(
    useCases.map((useCase) =>
      isRecord(useCase) ? asNonNegative(useCase.estimated_time_to_regain_access) : null,
    ),
  );
  return {
    appUsagePercent: isRecord(app) ? highestCounter(app) : null,
    businessUsagePercent: maxOf(
      useCases.map((useCase) => (isRecord(useCase) ? highestCounter(useCase) : null)),
    ),
    regainAccessMs: regainMinutes === null ? null : regainMinutes * MINUTE_MS,
  };
}

/** True when the next call should wait: Meta says access is blocked, or a counter is near 100 %. */
export function shouldSlowDown(usage: GraphUsage, thresholdPercent = SLOW_DOWN_PERCENT): boolean {
  if (usage.regainAccessMs !== null && usage.regainAccessMs > 0) return true;
  return [usage.appUsagePercent, usage.businessUsagePercent].some(
    (percent) => percent !== null && percent >= thresholdPercent,
  );
}

/**
 * `Retry-After` as delay-seconds or an HTTP date (RFC 9110, section 10.2.3); null when absent or
 * unreadable.
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates always name the day and month; this keeps Date.parse from reading "-5" as a year.
  const at = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function parseHeaderJson(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

function highestCounter(record: Record<string, unknown>): number | null {
  return maxOf(COUNTERS.map((key) => asNonNegative(record[key])));
}

function asNonNegative(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
}

function maxOf(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : Math.max(...present);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
