import { Check, Clock, Ellipsis, MailOpen, RotateCcw, Tag } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from 'react-aria-components';
import { Button, IconButton } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Menu, MenuItem } from '../../components/Menu';
import { Popover } from '../../components/Popover';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { usePanes } from '../../lib/panes';
import { useNow } from '../../lib/use-now';
import { triageStateOf } from '../../store/triage';
import { useApp } from '../../store/use-app';
import { snoozeChoices, type SnoozeChoice } from './snooze-choices';
import { SnoozeDatePicker } from './SnoozeDatePicker';

const ICON = { size: 16, strokeWidth: 1.5, 'aria-hidden': true } as const;

/**
 * The thread header's triage, compact: Done (or Reopen), Snooze (a menu of common times and a
 * localized date picker) and a "more" menu for the rarer actions.
 */
export function TriageActions({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const triage = useApp((state) => state.triageById[conversationId]);
  const error = useApp((state) => state.triageError);
  const setDone = useApp((state) => state.setDone);
  const snooze = useApp((state) => state.snooze);
  const markUnread = useApp((state) => state.markUnread);
  const panes = usePanes();
  const snoozeButton = useRef<HTMLButtonElement>(null);
  const [isPickerOpen, setPickerOpen] = useState(false);
  const state = triageStateOf(triage, now);
  const snoozedUntil = triage?.snoozedUntil ?? null;
  const wakeNow =
    snoozedUntil === null
      ? null
      : t('triage.wakeNow', { time: formatDateTime(snoozedUntil, locale) });

  const onSnooze = (key: SnoozeChoice | 'pick') => {
    if (key === 'pick') return setPickerOpen(true);
    // Computed at the moment of choice, not when the menu was drawn.
    const choice = snoozeChoices(Date.now()).find((candidate) => candidate.key === key);
    if (choice) void snooze(conversationId, choice.until);
  };

  const openLabels = () => {
    panes.setCustomerOpen(true);
    // The drawer renders the field on this commit: focus it on the next frame.
    requestAnimationFrame(() => document.getElementById('new-label')?.focus());
  };

  return (
    <div className="triage-actions">
      {state === 'done' ? (
        <Button onPress={() => void setDone(conversationId, false)}>
          <RotateCcw {...ICON} />
          {t('triage.reopen')}
        </Button>
      ) : (
        <Button aria-keyshortcuts="e" onPress={() => void setDone(conversationId, true)}>
          <Check {...ICON} />
          {t('triage.markDone')}
        </Button>
      )}
      {state === 'snoozed' && wakeNow !== null ? (
        <Button
          className="triage-actions__snoozed"
          onPress={() => void snooze(conversationId, null)}
        >
          {/* Long ("Snoozed until …. Wake now"): it gives way, whole in its tooltip, rather than
              pushing the More menu out of a narrow header. */}
          <span className="triage-actions__snoozed-text" title={wakeNow}>
            {wakeNow}
          </span>
        </Button>
      ) : (
        <Menu
          onAction={(key) => onSnooze(key as SnoozeChoice | 'pick')}
          trigger={
            <Button ref={snoozeButton}>
              <Clock {...ICON} />
              {t('triage.snooze')}
            </Button>
          }
        >
          {snoozeChoices(now).map((choice) => (
            <MenuItem key={choice.key} id={choice.key}>
              {t(`triage.snoozeFor.${choice.key}`)}
            </MenuItem>
          ))}
          <MenuItem id="pick">{t('triage.pickDate')}</MenuItem>
        </Menu>
      )}
      <Popover
        triggerRef={snoozeButton}
        isOpen={isPickerOpen}
        onOpenChange={setPickerOpen}
        placement="bottom end"
      >
        <Dialog aria-label={t('triage.pickDateLabel')} className="dialog">
          <SnoozeDatePicker
            onPick={(until) => {
              setPickerOpen(false);
              void snooze(conversationId, until);
            }}
          />
        </Dialog>
      </Popover>
      <Menu
        onAction={(key) => (key === 'unread' ? void markUnread(conversationId) : openLabels())}
        trigger={<IconButton label={t('triage.more')} icon={<Ellipsis {...ICON} />} />}
      >
        <MenuItem id="unread" icon={<MailOpen {...ICON} />}>
          {t('triage.markUnread')}
        </MenuItem>
        <MenuItem id="labels" icon={<Tag {...ICON} />}>
          {t('triage.labels')}
        </MenuItem>
      </Menu>
      {error !== null && <ErrorMessage title={t('triage.failed')} error={error} />}
    </div>
  );
}
