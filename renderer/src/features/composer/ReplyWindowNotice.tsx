import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import type { ReplyWindow } from '../../store/sending-slice';

/**
 * Why the composer cannot send plainly: the customer's last message is over 24 hours old
 * (docs/platform.md#reply-windows). Within 7 days a person may still answer with the HUMAN_AGENT
 * tag, if the owner's Meta app is approved for it (a setting the owner turns on here, once).
 */
export function ReplyWindowNotice({
  conversationId,
  window,
}: {
  conversationId: string;
  window: Exclude<ReplyWindow, 'open'>;
}) {
  const { t } = useTranslation();
  const enabledId = useId();
  const choiceId = useId();
  const settings = useApp((state) => state.sendingSettings);
  const choice = useApp((state) => state.humanAgentChoices[conversationId] === true);
  const setEnabled = useApp((state) => state.setHumanAgentEnabled);
  const setChoice = useApp((state) => state.setHumanAgentChoice);

  if (window === 'closed') {
    return (
      <p className="composer__notice" role="status">
        {t('sending.windowClosed')}
      </p>
    );
  }
  return (
    <div className="composer__notice" role="status">
      <p>{t('sending.windowHumanAgent')}</p>
      {settings !== null && (
        <p>
          <input
            id={enabledId}
            type="checkbox"
            checked={settings.humanAgentEnabled}
            onChange={(event) => void setEnabled(event.target.checked)}
          />{' '}
          <label htmlFor={enabledId}>{t('sending.humanAgentSetting')}</label>
        </p>
      )}
      {settings?.humanAgentEnabled === true && (
        <p>
          <input
            id={choiceId}
            type="checkbox"
            checked={choice}
            onChange={(event) => setChoice(conversationId, event.target.checked)}
          />{' '}
          <label htmlFor={choiceId}>{t('sending.humanAgentChoice')}</label>
        </p>
      )}
    </div>
  );
}
