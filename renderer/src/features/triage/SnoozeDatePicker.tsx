import {
  getLocalTimeZone,
  now as zonedNow,
  Time,
  toCalendarDateTime,
  today,
  type CalendarDate,
} from '@internationalized/date';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DateSegment,
  Heading,
  I18nProvider,
  Label,
  TimeField,
  type TimeValue,
} from 'react-aria-components';
import { Button, IconButton } from '../../components/Button';
import { useLocale } from '../../lib/use-locale';

/** A snooze without a chosen time wakes in the morning, like "Tomorrow morning". */
const DEFAULT_TIME = new Time(9, 0);

/**
 * Pick a day and a time to snooze until, in the UI's language and calendar (React Aria localizes
 * both; no native date field, whose format follows the OS instead of the UI). Days before today
 * cannot be picked; a time already past today is refused with a sentence, not silently moved.
 */
export function SnoozeDatePicker({ onPick }: { onPick: (until: number) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const zone = getLocalTimeZone();
  const [date, setDate] = useState<CalendarDate>(() => today(zone).add({ days: 1 }));
  const [time, setTime] = useState<TimeValue | null>(DEFAULT_TIME);
  const picked = time === null ? null : toCalendarDateTime(date, time).toDate(zone).getTime();
  const isPast = picked !== null && picked <= zonedNow(zone).toDate().getTime();

  return (
    <I18nProvider locale={locale}>
      <div className="date-picker" data-testid="snooze-date-picker">
        <Calendar
          className="calendar"
          aria-label={t('triage.pickDateLabel')}
          value={date}
          minValue={today(zone)}
          onChange={setDate}
          autoFocus
        >
          <header>
            <IconButton
              slot="previous"
              label={t('triage.previousMonth')}
              icon={<ChevronLeft size={16} strokeWidth={1.5} aria-hidden="true" />}
            />
            <Heading className="calendar__heading" />
            <IconButton
              slot="next"
              label={t('triage.nextMonth')}
              icon={<ChevronRight size={16} strokeWidth={1.5} aria-hidden="true" />}
            />
          </header>
          <CalendarGrid>
            {(day) => <CalendarCell date={day} className="calendar__cell" />}
          </CalendarGrid>
        </Calendar>
        <TimeField className="time-field" value={time} onChange={setTime}>
          <Label>{t('triage.pickTime')}</Label>
          <DateInput className="time-field__input">
            {(segment) => <DateSegment segment={segment} className="time-field__segment" />}
          </DateInput>
        </TimeField>
        {isPast && (
          <p className="date-picker__error" role="alert">
            {t('triage.pickedPast')}
          </p>
        )}
        <Button
          variant="primary"
          isDisabled={picked === null || isPast}
          onPress={() => picked !== null && onPick(picked)}
        >
          {t('triage.snoozeUntil')}
        </Button>
      </div>
    </I18nProvider>
  );
}
