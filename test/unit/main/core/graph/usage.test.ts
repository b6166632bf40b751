import { describe, expect, it } from 'vitest';
import {
  parseRetryAfterMs,
  parseUsageHeaders,
  shouldSlowDown,
} from '../../../../../main/core/graph/usage';

const none = { appUsagePercent: null, businessUsagePercent: null, regainAccessMs: null };

describe('parseUsageHeaders', () => {
  it('reads X-App-Usage and X-Business-Use-Case-Usage (docs/platform.md#usage-headers)', () => {
    const headers = new Headers({
      'X-App-Usage': '{"call_count":28,"total_time":25,"total_cputime":31}',
      'X-Business-Use-Case-Usage':
        '{"17841405309211844":[{"type":"instagram","call_count":5,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0},{"type":"instagram","call_count":97,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":4}]}',
    });
    expect(parseUsageHeaders(headers)).toEqual({
      appUsagePercent: 31,
      businessUsagePercent: 97,
      regainAccessMs: 4 * 60_000,
    });
  });

  it('reports nulls when the headers are absent', () => {
    expect(parseUsageHeaders(new Headers())).toEqual(none);
  });

  it.each([
    ['not JSON', 'call_count=28'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['wrong types', '{"call_count":"lots","total_time":-3,"total_cputime":null}'],
  ])('ignores a malformed X-App-Usage (%s)', (_label, value) => {
    expect(parseUsageHeaders(new Headers({ 'X-App-Usage': value }))).toEqual(none);
  });

  it.each([
    ['not JSON', '{"1784":[{"call_count":5}'],
    ['entries that are not arrays', '{"1784":{"call_count":5}}'],
    ['array items that are not objects', '{"1784":[5,"x",null]}'],
    ['a top-level array', '[{"call_count":5}]'],
  ])('ignores a malformed X-Business-Use-Case-Usage (%s)', (_label, value) => {
    expect(parseUsageHeaders(new Headers({ 'X-Business-Use-Case-Usage': value }))).toEqual(none);
  });

  it('accepts numeric strings and keeps the readable parts of a half-broken header', () => {
    const headers = new Headers({
      'X-Business-Use-Case-Usage':
        '{"1784":[{"call_count":"64","estimated_time_to_regain_access":"2"},"junk"],"other":"junk"}',
    });
    expect(parseUsageHeaders(headers)).toEqual({
      appUsagePercent: null,
      businessUsagePercent: 64,
      regainAccessMs: 120_000,
    });
  });
});

describe('shouldSlowDown', () => {
  it('slows down near the limit, not only at 100 %', () => {
    expect(shouldSlowDown({ ...none, appUsagePercent: 79 })).toBe(false);
    expect(shouldSlowDown({ ...none, appUsagePercent: 80 })).toBe(true);
    expect(shouldSlowDown({ ...none, businessUsagePercent: 95 })).toBe(true);
    expect(shouldSlowDown({ ...none, businessUsagePercent: 60 }, 50)).toBe(true);
  });

  it('slows down whenever Meta says access must be regained, and not on zero', () => {
    expect(shouldSlowDown({ ...none, regainAccessMs: 60_000 })).toBe(true);
    expect(shouldSlowDown({ ...none, regainAccessMs: 0 })).toBe(false);
    expect(shouldSlowDown(none)).toBe(false);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-18T14:05:00Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('30', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 18 Mar 2026 14:06:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfterMs('Wed, 18 Mar 2026 14:00:00 GMT', now)).toBe(0);
  });

  it('returns null for an absent or unreadable value', () => {
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs('-5', now)).toBeNull();
  });
});
