import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SkeletonRows } from '../../components/Skeleton';
import { AboutSection } from '../about/AboutSection';
import { DeveloperSection } from '../developer/DeveloperSection';
import { UpdatesSection } from '../updates/UpdatesSection';
import { ConnectionSection } from './ConnectionSection';
import { StartAtLoginSection } from './StartAtLoginSection';
import { useApp } from '../../store/use-app';
import { toUiError, type UiError } from '../../store/ui-error';
import { AccountsSection } from './AccountsSection';
import { AppForm, MetaSetup } from './MetaAppSection';
import { useSettingsClient, useSettingsUpdate } from './settings-client';

/** Settings of the user's own Meta app and the Instagram accounts connected through it. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const titleId = useId();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<UiError | null>(null);
  // The redirect URI follows the tunnel: read the settings again when the status moves.
  const tunnelState = useApp((state) => state.status?.tunnel.state);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let isCurrent = true;
    client.settings.get().then(
      (loaded) => isCurrent && setSettings(loaded),
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, tunnelState]);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="settings-overlay">
      <section
        className="settings"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="settings"
      >
        <div className="settings__header">
          <h2 id={titleId}>{t('settings.title')}</h2>
          <button ref={closeRef} type="button" className="button button--quiet" onClick={onClose}>
            {t('settings.close')}
          </button>
        </div>
        {settings !== null && <VaultNotice settings={settings} onSaved={setSettings} />}
        <AccountsSection />
        <ConnectionSection />
        {loadError !== null && <ErrorMessage title={t('settings.loadFailed')} error={loadError} />}
        {/* Skeleton lines where the Meta app's fields will be (DESIGN.md's states), said in
            words to assistive technology. */}
        {settings === null && loadError === null && (
          <div className="settings__loading" aria-busy="true">
            <p className="visually-hidden" role="status">
              {t('settings.loading')}
            </p>
            <SkeletonRows count={3} hasAvatar={false} />
          </div>
        )}
        {settings !== null && (
          <>
            <MetaSetup settings={settings} onSaved={setSettings} onGuide={onClose} />
            <AppForm settings={settings} onSaved={setSettings} />
          </>
        )}
        <StartAtLoginSection />
        <AboutSection />
        <UpdatesSection />
        <DeveloperSection />
      </section>
    </div>
  );
}

/**
 * Honest about where secrets live. Where the OS has only a plaintext-equivalent store (Linux
 * `basic_text`), the user may opt into it, knowing what it means; the default is memory only.
 */
function VaultNotice({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved: (s: Settings) => void;
}) {
  const { t } = useTranslation();
  const { update, error } = useSettingsUpdate(onSaved);
  const { vault } = settings;
  if (vault.persistent && !vault.unprotectedAccepted) return null;
  const choose = (accept: boolean) => update({ acceptUnprotectedStorage: accept });

  return (
    <div className="banner banner--warning settings__vault" role="note">
      <p>
        {vault.unprotectedAccepted ? t('settings.vaultUnprotected') : t('settings.vaultWarning')}
      </p>
      {(vault.canAcceptUnprotected || vault.unprotectedAccepted) && (
        <label className="settings__accept">
          <input
            type="checkbox"
            checked={vault.unprotectedAccepted}
            onChange={(event) => void choose(event.target.checked)}
          />
          {t('settings.vaultAccept')}
        </label>
      )}
      {error !== null && <ErrorMessage title={t('settings.app.saveFailed')} error={error} />}
    </div>
  );
}
