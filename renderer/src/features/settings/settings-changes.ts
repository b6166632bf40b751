import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { InvokeInput } from '../../../../shared/ipc/contract';

/** What the owner typed into a form of the Meta app's settings (Settings, the guided setup). */
export type SettingsDraft = {
  appId: string;
  appSecret: string;
  metaAppSecret: string;
  graphVersion: string;
  ngrokAuthtoken: string;
  ngrokDomain: string;
  loginRedirectUri: string;
};

/**
 * The `settings:update` a form's draft asks for: only what differs from the saved settings. A
 * field the environment sets is left alone, an empty secret keeps the saved one, an emptied value
 * removes it, and a field the form does not show (absent from the draft) is not touched.
 */
export function settingsChanges(
  settings: Settings,
  draft: Partial<SettingsDraft>,
): InvokeInput<'settings:update'> {
  const fromEnv = new Set(settings.fromEnvironment);
  const input: InvokeInput<'settings:update'> = {};
  const { appId, appSecret, metaAppSecret, graphVersion, ngrokAuthtoken, ngrokDomain } = draft;
  const { loginRedirectUri } = draft;
  if (appId !== undefined && !fromEnv.has('appId') && appId.trim() !== (settings.appId ?? ''))
    input.appId = appId.trim() === '' ? null : appId.trim();
  if (appSecret !== undefined && !fromEnv.has('appSecret') && appSecret.trim() !== '')
    input.appSecret = appSecret;
  if (metaAppSecret !== undefined && !fromEnv.has('metaAppSecret') && metaAppSecret.trim() !== '')
    input.metaAppSecret = metaAppSecret;
  if (
    graphVersion !== undefined &&
    !fromEnv.has('graphVersion') &&
    graphVersion.trim() !== settings.graphVersion
  )
    input.graphVersion = graphVersion;
  if (ngrokAuthtoken !== undefined && !fromEnv.has('ngrok') && ngrokAuthtoken.trim() !== '')
    input.ngrokAuthtoken = ngrokAuthtoken;
  if (
    ngrokDomain !== undefined &&
    !fromEnv.has('ngrok') &&
    ngrokDomain.trim() !== (settings.ngrokDomain ?? '')
  )
    input.ngrokDomain = ngrokDomain.trim() === '' ? null : ngrokDomain;
  if (
    loginRedirectUri !== undefined &&
    settings.hasLoginWindow &&
    loginRedirectUri.trim() !== (settings.loginRedirectUri ?? '')
  )
    input.loginRedirectUri = loginRedirectUri.trim() === '' ? null : loginRedirectUri.trim();
  return input;
}
