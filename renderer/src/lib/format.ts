/**
 * Dates and times for the UI, always through `Intl` in the UI language. Formatters are cached:
 * building one costs far more than using it, and a long conversation list formats many times.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format as Intl.DateTimeFormat;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  const key = `r|${locale}`;
  let format = cache.get(key);
  if (format === undefined) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    cache.set(key, format);
  }
  return format as Intl.RelativeTimeFormat;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "now", "5 min. ago", "3 hr. ago", "yesterday", "4 days ago", then a short date. */
export function formatRelativeTime(at: number, now: number, locale: string): string {
  const elapsed = Math.max(0, now - at);
  const relative = relativeFormat(locale);
  if (elapsed < MINUTE) return relative.format(0, 'second');
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  const days = calendarDaysBetween(at, now);
  if (days < 7) return relative.format(-days, 'day');
  return formatShortDate(at, now, locale);
}

export function formatShortDate(at: number, now: number, locale: string): string {
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return dateFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at);
}

export function formatTime(at: number, locale: string): string {
  return dateFormat(locale, { timeStyle: 'short' }).format(at);
}

export function formatDateTime(at: number, locale: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** Label of a day separator in a thread: "Today", "Yesterday", "Monday, 3 March", … */
export function formatDayLabel(at: number, now: number, locale: string): string {
  const days = calendarDaysBetween(at, now);
  if (days === 0 || days === 1) {
    return capitalize(relativeFormat(locale).format(-days, 'day'), locale);
  }
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return dateFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at);
}

/** Local calendar day, the unit of a day separator. */
export function localDayKey(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Whole local calendar days from `at` to `now` (yesterday 23:59 → today 00:01 is one day). */
export function calendarDaysBetween(at: number, now: number): number {
  const start = new Date(at);
  const end = new Date(now);
  const startDay = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate());
  const endDay = Date.UTC(end.getFullYear(), end.getMonth(), end.getDate());
  return Math.max(0, Math.round((endDay - startDay) / DAY));
}

function capitalize(text: string, locale: string): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}
