import { useTranslation } from 'react-i18next';
import type { UpdateState } from '../../../../shared/ipc/updates-contract';

/**
 * Where this copy stands with updates, in one calm sentence, and the last problem if there was
 * one: what happened and that Inlet will try again, never the technical cause (that is in the log).
 */
export function UpdateStatus({ updates }: { updates: UpdateState }) {
  const { t } = useTranslation();
  if (updates.unsupported !== null) {
    return (
      <p data-testid="update-status" data-unsupported={updates.unsupported}>
        {t(`updates.unsupported.${updates.unsupported}`)}
      </p>
    );
  }
  const version = updates.update?.version ?? '';
  const current = { version: updates.currentVersion };
  const line = {
    // An idle copy is only known to be the newest after a check that worked.
    idle:
      updates.problem !== null
        ? t('updates.status.current', current)
        : updates.lastCheckedAt === null
          ? t('updates.status.notChecked', current)
          : t('updates.status.upToDate', current),
    checking: t('updates.status.checking'),
    downloading: t('updates.status.downloading', { version }),
    ready: t('updates.status.ready', { version }),
    'waiting-for-outbox': t('updates.notice.waiting', { count: updates.pendingSends }),
    installing: t('updates.notice.installing'),
  }[updates.phase];
  return (
    <>
      <p data-testid="update-status" data-phase={updates.phase} aria-live="polite">
        {line}
      </p>
      {updates.problem !== null && (
        <p className="settings__hint" data-testid="update-problem" data-problem={updates.problem}>
          {t(`updates.problems.${updates.problem}`, current)} {t('updates.problems.details')}
        </p>
      )}
    </>
  );
}
