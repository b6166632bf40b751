import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FailureReasonText } from '../../components/FailureReasonText';
import { useApp } from '../../store/use-app';
import { useSetupAssistant } from '../setup/setup-assistant';

/** Says in one sentence that nothing here is real, and offers the way to make it real. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const isSandbox = useApp((state) => state.status?.mode === 'sandbox');
  // The owner's real inbox fell back to the sandbox: that is the news, said first.
  const reason = useApp((state) => state.status?.sandboxReason ?? null);
  const setup = useSetupAssistant();
  // "Explore the sandbox" puts the banner away for this visit; the rail still says Sandbox.
  const [isExploring, setExploring] = useState(false);
  if (!isSandbox || (isExploring && reason === null)) return null;
  return (
    <aside
      className="banner banner--sandbox"
      data-testid="sandbox-banner"
      aria-labelledby="sandbox-intro"
    >
      {reason !== null && (
        <p role="alert" data-testid="sandbox-reason">
          <FailureReasonText reason={reason} />
        </p>
      )}
      <p id="sandbox-intro">{t('sandbox.body')}</p>
      <p className="banner__actions">
        {setup !== null && (
          <button
            type="button"
            className="button button--primary button--small"
            onClick={setup.open}
          >
            {t('sandbox.connectButton')}
          </button>
        )}
        {reason === null && (
          <button type="button" className="button button--small" onClick={() => setExploring(true)}>
            {t('sandbox.explore')}
          </button>
        )}
      </p>
    </aside>
  );
}
