import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExternalLink } from '../../components/ExternalLink';
import { useApp } from '../../store/use-app';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSettingsClient } from '../settings/settings-client';
import { UpdateStatus } from '../updates/UpdateStatus';

type Copy =
  | { phase: 'idle' | 'working' | 'copied' }
  | { phase: 'not-copied'; text: string }
  | { phase: 'error'; error: UiError };

/** Settings → About Inlet: the version, where it stands with updates, and help for helpers. */
export function AboutSection() {
  const { t } = useTranslation();
  const updates = useApp((state) => state.updates);
  return (
    <section className="settings__section" aria-labelledby="settings-about" data-testid="about">
      <h3 id="settings-about">{t('about.title')}</h3>
      {updates !== null && (
        <>
          <p>
            {t('about.version')}{' '}
            <strong data-testid="about-version">{updates.currentVersion}</strong>
          </p>
          <UpdateStatus updates={updates} />
          {updates.releasesUrl !== null && (
            <p>
              <ExternalLink href={updates.releasesUrl}>{t('about.releases')}</ExternalLink>
            </p>
          )}
        </>
      )}
      <CopyDiagnostics />
    </section>
  );
}

/**
 * Gathered when asked, so the log lines are the newest. Where the clipboard is refused the text
 * is shown to select by hand rather than lost.
 */
function CopyDiagnostics() {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const [copy, setCopy] = useState<Copy>({ phase: 'idle' });

  async function run() {
    setCopy({ phase: 'working' });
    let text: string;
    try {
      text = (await client.app.getDiagnostics()).text;
    } catch (error) {
      setCopy({ phase: 'error', error: toUiError(error) });
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      setCopy({ phase: 'copied' });
    } catch {
      setCopy({ phase: 'not-copied', text });
    }
  }

  return (
    <div className="about__diagnostics">
      <p className="settings__hint">{t('about.diagnosticsHint')}</p>
      <button
        type="button"
        className="button"
        disabled={copy.phase === 'working'}
        onClick={() => void run()}
      >
        {t('about.copyDiagnostics')}
      </button>
      <span className="copy__feedback" role="status">
        {copy.phase === 'copied' ? t('about.copied') : ''}
      </span>
      {copy.phase === 'not-copied' && (
        <label className="settings__field">
          <span>{t('about.notCopied')}</span>
          <textarea
            readOnly
            rows={6}
            value={copy.text}
            onFocus={(event) => event.target.select()}
          />
        </label>
      )}
      {copy.phase === 'error' && (
        <ErrorMessage title={t('about.diagnosticsFailed')} error={copy.error} />
      )}
    </div>
  );
}
