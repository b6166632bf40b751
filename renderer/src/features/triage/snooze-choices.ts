const HOUR = 60 * 60 * 1000;

/** Snooze choices relative to now: later today, tomorrow morning, next Monday morning. */
export type SnoozeChoice = 'inOneHour' | 'inThreeHours' | 'tomorrow' | 'nextWeek';

export function snoozeChoices(now: number): { key: SnoozeChoice; until: number }[] {
  const at9 = (daysAhead: number) => {
    const date = new Date(now);
    date.setDate(date.getDate() + daysAhead);
    date.setHours(9, 0, 0, 0);
    return date.getTime();
  };
  const daysToMonday = (8 - new Date(now).getDay()) % 7 || 7;
  return [
    { key: 'inOneHour', until: now + HOUR },
    { key: 'inThreeHours', until: now + 3 * HOUR },
    { key: 'tomorrow', until: at9(1) },
    { key: 'nextWeek', until: at9(daysToMonday) },
  ];
}
