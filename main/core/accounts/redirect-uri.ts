import type { FailureReason } from '../../../shared/domain/failure-reason';
import { detail } from '../../../shared/domain/localized-text';
import { CALLBACK_PATH } from '../auth/oauth-flow';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type RedirectUri =
  | { uri: string; problem: null; via: 'tunnel' | 'local' | 'login-window' }
  | { uri: null; problem: FailureReason };

export const NO_TUNNEL_PROBLEM =
  'Instagram only sends the login back to an https address, and the tunnel that gives Inlet one ' +
  'is not online. Add an ngrok authtoken in Settings (a reserved domain keeps the address stable), ' +
  'then register the address shown here as the OAuth redirect URI in Meta’s dashboard.';

export const CAPTURE_HINT =
  ' Or enter an https redirect URI registered in Meta’s dashboard (ending in /oauth/callback): ' +
  'Inlet then opens the login in its own window and catches the redirect without loading it.';

export function isLoopbackUrl(value: string): boolean {
  return URL.canParse(value) && LOOPBACK_HOSTS.has(new URL(value).hostname);
}

/**
 * The redirect URI registered at Meta (docs/platform.md#redirect-uri): the tunnel's https address
 * plus the one callback path. Against a loopback OAuth host (the emulator) the local listener's own
 * http address works too, since nothing outside this machine is involved.
 */
export function deriveRedirectUri(input: {
  tunnelUrl: string | null;
  oauthUrl: string;
  /**
   * Origin of the local listener that forwards CALLBACK_PATH to the login, e.g.
   * http://127.0.0.1:4871.
   */
  localOrigin: string | null;
  /** Whether this shell has a login window (desktop), and the URI the user registered for it. */
  loginWindow: { uri: string | null } | null;
}): RedirectUri {
  if (input.tunnelUrl !== null)
    return {
      uri: `${input.tunnelUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`,
      problem: null,
      via: 'tunnel',
    };
  if (input.localOrigin !== null && isLoopbackUrl(input.oauthUrl))
    return { uri: `${input.localOrigin}${CALLBACK_PATH}`, problem: null, via: 'local' };
  if (input.loginWindow?.uri)
    return { uri: input.loginWindow.uri, problem: null, via: 'login-window' };
  return {
    uri: null,
    problem: {
      text: NO_TUNNEL_PROBLEM + (input.loginWindow ? CAPTURE_HINT : ''),
      detail: detail(input.loginWindow ? 'noTunnelOrLoginWindow' : 'noTunnel'),
    },
  };
}
