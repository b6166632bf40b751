import { describe, expect, it } from 'vitest';
import {
  calendarDaysBetween,
  formatDayLabel,
  formatRelativeTime,
  formatShortDate,
} from '../../../../renderer/src/lib/format';
import { toSafeHttpUrl } from '../../../../renderer/src/lib/safe-url';
import { HOUR, MINUTE, NOW } from '../fixtures';

const DAY = 24 * HOUR;

describe('formatRelativeTime', () => {
  it('ages from now to minutes, hours, days, then a date', () => {
    expect(formatRelativeTime(NOW - 20_000, NOW, 'en')).toBe('now');
    expect(formatRelativeTime(NOW - 5 * MINUTE, NOW, 'en')).toBe('5 min. ago');
    expect(formatRelativeTime(NOW - 3 * HOUR, NOW, 'en')).toBe('3 hr. ago');
    expect(formatRelativeTime(NOW - DAY, NOW, 'en')).toBe('yesterday');
    expect(formatRelativeTime(NOW - 4 * DAY, NOW, 'en')).toBe('4 days ago');
    expect(formatRelativeTime(NOW - 30 * DAY, NOW, 'en')).toBe('May 12');
  });

  it('follows the UI language', () => {
    expect(formatRelativeTime(NOW - 5 * MINUTE, NOW, 'de')).toBe('vor 5 Min.');
  });

  it('treats a time slightly in the future (clock skew) as now', () => {
    expect(formatRelativeTime(NOW + 10_000, NOW, 'en')).toBe('now');
  });
});

describe('day labels', () => {
  it('names today and yesterday, and spells out older days', () => {
    expect(formatDayLabel(NOW - HOUR, NOW, 'en')).toBe('Today');
    expect(formatDayLabel(NOW - DAY, NOW, 'en')).toBe('Yesterday');
    expect(formatDayLabel(NOW - 2 * DAY, NOW, 'en')).toBe('Monday, June 9');
    expect(formatDayLabel(NOW - 365 * DAY, NOW, 'en')).toBe('Tuesday, June 11, 2024');
  });

  it('counts calendar days, not 24-hour periods', () => {
    const lateYesterday = new Date(2025, 5, 10, 23, 59).getTime();
    const earlyToday = new Date(2025, 5, 11, 0, 1).getTime();
    expect(calendarDaysBetween(lateYesterday, earlyToday)).toBe(1);
  });

  it('adds the year to short dates from another year only', () => {
    expect(formatShortDate(new Date(2024, 11, 24).getTime(), NOW, 'en')).toBe('Dec 24, 2024');
  });
});

describe('toSafeHttpUrl', () => {
  it('passes http(s) and refuses every other scheme or garbage', () => {
    expect(toSafeHttpUrl('https://lookaside.fbsbx.com/x?a=1')).toBe(
      'https://lookaside.fbsbx.com/x?a=1',
    );
    expect(toSafeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(toSafeHttpUrl('file:///etc/passwd')).toBeNull();
    expect(toSafeHttpUrl('not a url')).toBeNull();
    expect(toSafeHttpUrl(null)).toBeNull();
  });
});
