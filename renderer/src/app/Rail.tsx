import {
  AlarmClock,
  Bell,
  CircleCheck,
  Hourglass,
  Inbox,
  Keyboard,
  Layers,
  MessageCircle,
  MessageSquareText,
  Webhook,
} from 'lucide-react';
import { useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain/schemas';
import { Avatar } from '../components/Avatar';
import { RailButton } from '../components/RailButton';
import { HealthLight } from '../features/health/HealthLight';
import { SettingsButton } from '../features/settings/SettingsButton';
import { INBOX_VIEWS, type InboxView } from '../store/triage';
import { useApp } from '../store/use-app';

/** What the panes right of the rail show: the inbox, or a page that replaces it. */
export type ShellPage = 'inbox' | 'comments' | 'deliveries';

const NO_ACCOUNTS: readonly Account[] = [];

const icon = (Icon: typeof Inbox) => <Icon size={20} strokeWidth={1.5} aria-hidden="true" />;

const VIEW_ICONS: Record<InboxView, ReactNode> = {
  open: icon(Inbox),
  endingSoon: icon(Hourglass),
  snoozed: icon(AlarmClock),
  done: icon(CircleCheck),
  all: icon(Layers),
};

/**
 * The left rail (DESIGN.md's layout): the accounts, the views, the tools, and at the foot the
 * health light and Settings. ↑/↓ (and Home/End) move between its buttons; Tab walks them too.
 */
export function Rail({
  page,
  isDeveloper,
  onShowView,
  onTogglePage,
  onOpenShortcuts,
  onOpenReplies,
  onOpenNotifications,
}: {
  page: ShellPage;
  isDeveloper: boolean;
  onShowView: (view: InboxView) => void;
  onTogglePage: (page: 'comments' | 'deliveries') => void;
  onOpenShortcuts: () => void;
  onOpenReplies: () => void;
  onOpenNotifications: () => void;
}) {
  const { t } = useTranslation();
  const view = useApp((state) => state.inboxFilter.view);
  const isSandbox = useApp((state) => state.status?.mode === 'sandbox');
  return (
    <nav className="rail" data-testid="rail" aria-label={t('rail.label')} onKeyDown={moveFocus}>
      <h1 className="visually-hidden">{t('app.name')}</h1>
      <Accounts />
      {isSandbox && (
        <span className="pill pill--sandbox rail__mode">{t('status.modes.sandbox')}</span>
      )}
      <div className="rail__group" role="group" aria-label={t('triage.views')}>
        {INBOX_VIEWS.map((item) => (
          <RailButton
            key={item}
            label={t(`triage.view.${item}`)}
            icon={VIEW_ICONS[item]}
            isCurrent={page === 'inbox' && view === item}
            data-view={item}
            onPress={() => onShowView(item)}
          />
        ))}
        <RailButton
          label={t('comments.open')}
          icon={icon(MessageCircle)}
          isCurrent={page === 'comments'}
          onPress={() => onTogglePage('comments')}
        />
        {isDeveloper && (
          <RailButton
            label={t('developer.open')}
            icon={icon(Webhook)}
            isCurrent={page === 'deliveries'}
            onPress={() => onTogglePage('deliveries')}
          />
        )}
      </div>
      <div className="rail__group rail__group--end" role="group" aria-label={t('app.tools')}>
        <RailButton
          label={t('shortcuts.open')}
          icon={icon(Keyboard)}
          aria-haspopup="dialog"
          onPress={onOpenShortcuts}
        />
        <RailButton
          label={t('replies.open')}
          icon={icon(MessageSquareText)}
          aria-haspopup="dialog"
          onPress={onOpenReplies}
        />
        <RailButton
          label={t('notifications.open')}
          icon={icon(Bell)}
          aria-haspopup="dialog"
          onPress={onOpenNotifications}
        />
        <HealthLight />
        <SettingsButton />
      </div>
    </nav>
  );
}

/**
 * One avatar per connected account, with its unread count. With several accounts, choosing one
 * shows only its conversations (it is then marked), choosing it again shows them all; a single
 * account is always the one shown.
 */
function Accounts() {
  const { t } = useTranslation();
  const accounts = useApp((state) => state.status?.accounts ?? NO_ACCOUNTS);
  const active = useApp((state) => state.inboxFilter.account);
  const setFilter = useApp((state) => state.setInboxFilter);
  // Summed only when a conversation changes, not on every change of the store (10k rows).
  const conversationsById = useApp((state) => state.conversationsById);
  const unread = useMemo(() => unreadByAccount(conversationsById), [conversationsById]);
  if (accounts.length === 0) return null;
  return (
    <div className="rail__group" role="group" aria-label={t('rail.accounts')}>
      {accounts.map((account) => {
        const count = unread[account.igUserId] ?? 0;
        const isActive = active === account.igUserId || (active === null && accounts.length === 1);
        return (
          <RailButton
            key={account.igUserId}
            className="rail-button--account"
            label={
              count > 0
                ? t('rail.accountUnread', { username: account.username, count })
                : t('rail.account', { username: account.username })
            }
            icon={
              <Avatar name={account.username} seed={account.igUserId} src={account.pictureUrl} />
            }
            // The exact count is in the label; the badge stays small.
            badge={count > 99 ? '99+' : count > 0 ? count : undefined}
            isCurrent={isActive}
            onPress={() =>
              setFilter({
                account:
                  accounts.length > 1 && active !== account.igUserId ? account.igUserId : null,
              })
            }
          />
        );
      })}
    </div>
  );
}

/** Unread messages per business account, over the conversations loaded so far. */
export function unreadByAccount(
  conversationsById: Readonly<Record<string, { accountId: string; unreadCount: number }>>,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { accountId, unreadCount } of Object.values(conversationsById))
    counts[accountId] = (counts[accountId] ?? 0) + unreadCount;
  return counts;
}

/** ↑/↓ step through the rail's buttons, Home/End jump to its ends; focus wraps round. */
function moveFocus(event: KeyboardEvent<HTMLElement>): void {
  const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('button'));
  const current = buttons.indexOf(document.activeElement as HTMLElement);
  if (current === -1) return;
  const steps: Record<string, number> = {
    ArrowDown: current + 1,
    ArrowUp: current - 1 + buttons.length,
    Home: 0,
    End: buttons.length - 1,
  };
  const next = steps[event.key];
  if (next === undefined) return;
  event.preventDefault();
  buttons[next % buttons.length]?.focus();
}
