import { DAY_MS } from './world';

/**
 * Business-Use-Case rate limiting (docs/platform.md#rate-limits): every authenticated Graph call
 * spends from its account's budget over a rolling 24 hours, and every answer says how much is used
 * in `X-Business-Use-Case-Usage`. A call beyond the budget is refused and not counted, so access
 * comes back as the oldest calls leave the window.
 */

export type Spent = {
  /** The `X-Business-Use-Case-Usage` value. */
  header: string;
  /** Null while within budget; else minutes until a call is allowed again. */
  throttledForMinutes: number | null;
};

export class CallBudget {
  private readonly calls = new Map<string, number[]>();

  spend(accountId: string, now: number, budget: number): Spent {
    const recent = (this.calls.get(accountId) ?? []).filter((at) => at > now - DAY_MS);
    const isThrottled = recent.length >= budget;
    if (!isThrottled) recent.push(now);
    this.calls.set(accountId, recent);
    const regainMs = isThrottled ? recent[recent.length - budget]! + DAY_MS - now : 0;
    const minutes = Math.max(1, Math.ceil(regainMs / 60_000));
    const percent = Math.min(100, Math.round((recent.length * 100) / budget));
    const usage = {
      type: 'instagram',
      call_count: percent,
      total_cputime: Math.round(percent / 10),
      total_time: Math.round(percent / 10),
      estimated_time_to_regain_access: isThrottled ? minutes : 0,
    };
    return {
      header: JSON.stringify({ [accountId]: [usage] }),
      throttledForMinutes: isThrottled ? minutes : null,
    };
  }
}
