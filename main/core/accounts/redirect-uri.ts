import { CALLBACK_PATH } from '../auth/oauth-flow';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type RedirectUri = { uri: string; problem: null } | { uri: null; problem: string };

export const NO_TUNNEL_PROBLEM =
  'Instagram only sends the login back to an https address, and the tunnel that gives Inlet one ' +
  'is not online. Add an ngrok authtoken in Settings (a reserved domain keeps the address stable), ' +
  'then register the address shown here as the OAuth redirect URI in Meta’s dashboard.';

export function isLoopbackUrl(value: string): boolean {
  return URL.canParse(value) && LOOPBACK_HOSTS.has(new URL(value).hostname);
}

/**
 * The redirect URI registered at Meta (instagram-platform.md §1.3): the tunnel's https address plus
 * the one callback path. Against a loopback OAuth host (the emulator) the local listener's own
 * http address works too, since nothing outside this machine is involved.
 */
export function deriveRedirectUri(input: {
  tunnelUrl: string | null;
  oauthUrl: string;
  /** Origin of the local listener that forwards CALLBACK_PATH to the login, e.g. http://127.0.0.1:4871. */
  localOrigin: string | null;
}): RedirectUri {
  if (input.tunnelUrl !== null)
    return { uri: `${input.tunnelUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`, problem: null };
  if (input.localOrigin !== null && isLoopbackUrl(input.oauthUrl))
    return { uri: `${input.localOrigin}${CALLBACK_PATH}`, problem: null };
  return { uri: null, problem: NO_TUNNEL_PROBLEM };
}
