import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` and says so. The clipboard can be refused (permissions, insecure context), so a
 * failure is reported rather than pretending; the text itself stays selectable next to the button.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <span className="copy">
      <button
        type="button"
        className="button button--small"
        aria-label={label}
        onClick={() => void copy()}
      >
        {t('status.copy')}
      </button>
      <span className="copy__feedback" role="status">
        {state === 'copied' ? t('status.copied') : state === 'failed' ? t('status.copyFailed') : ''}
      </span>
    </span>
  );
}
