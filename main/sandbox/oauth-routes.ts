import type { EmulatorClock } from './emulator-clock';
import { OAuthFlatError } from './graph-errors';
import { redirect, route, send, sendMetaJson, type Route, type RoutedRequest } from './http';
import { newAuthorizationCode } from './ids';
import { RawNumber, metaJson } from './meta-json';
import { ALL_SCOPES, HOUR_MS, type World } from './world';

/**
 * Business Login for Instagram (docs/platform.md#accounts-and-login): the consent page, the
 * redirect back with `code` or `error=access_denied`, and the code → short-lived token exchange.
 */

export type OAuthDeps = { world: World; clock: EmulatorClock };

type AuthorizeRequest = {
  redirectUri: string;
  scopes: string[];
  state: string | null;
  params: URLSearchParams;
};

/** Retired on 27 Jan 2025; requesting them now breaks login (docs/platform.md#oauth). */
const RETIRED_SCOPE = /^business_/;
const CODE_LIFETIME_MS = HOUR_MS; // docs/platform.md#oauth
const DENIED = 'The user denied your request';

export function oauthRoutes(deps: OAuthDeps): Route[] {
  return [
    route('GET', /^\/oauth\/authorize\/?$/, (request) => {
      const checked = checkAuthorize(deps, request.url.searchParams);
      if (checked instanceof OAuthFlatError) return sendMetaJson(request.res, 400, checked.body());
      // Browsers apply form-action to the redirect that answers the form too, so the app's
      // registered redirect origin must be allowed, or a real browser stops on the consent page.
      const redirectOrigin = new URL(checked.redirectUri).origin;
      send(request.res, 200, consentPage(deps, checked), 'text/html; charset=utf-8', {
        'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${redirectOrigin}`,
      });
    }),
    route('POST', /^\/oauth\/authorize\/?$/, (request) => decide(deps, request)),
    route('POST', /^\/oauth\/access_token\/?$/, (request) => exchangeCode(deps, request)),
  ];
}

function checkAuthorize(
  deps: OAuthDeps,
  params: URLSearchParams,
): AuthorizeRequest | OAuthFlatError {
  const { app } = deps.world;
  if (params.get('client_id') !== app.appId) return new OAuthFlatError('Invalid platform app');
  const redirectUri = params.get('redirect_uri') ?? '';
  // Exact match against a registered URI, no normalisation (docs/platform.md#redirect-uri).
  if (!app.redirectUris.includes(redirectUri)) return new OAuthFlatError('Invalid redirect_uri');
  if (params.get('response_type') !== 'code')
    return new OAuthFlatError('Invalid response_type: expected code');
  const scopes = (params.get('scope') ?? '').split(/[,\s]+/).filter(Boolean);
  const invalid = scopes.filter(
    (s) => RETIRED_SCOPE.test(s) || !(ALL_SCOPES as readonly string[]).includes(s),
  );
  if (invalid.length) return new OAuthFlatError(`Invalid Scopes: ${invalid.join(', ')}`);
  if (!scopes.includes('instagram_business_basic')) {
    return new OAuthFlatError('Invalid Scopes: instagram_business_basic is required');
  }
  return { redirectUri, scopes, state: params.get('state'), params };
}

function consentPage(deps: OAuthDeps, request: AuthorizeRequest): string {
  const accounts = [...deps.world.accounts.values()];
  const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state']
    .filter((name) => request.params.has(name))
    .map(
      (name) =>
        `<input type="hidden" name="${name}" value="${escapeHtml(request.params.get(name)!)}">`,
    )
    .join('');
  const accountChoices = accounts
    .map(
      (a, i) =>
        `<label><input type="radio" name="account" value="${a.igUserId}"${i === 0 ? ' checked' : ''}> @${escapeHtml(a.username)}</label>`,
    )
    .join('<br>');
  // The user may untick optional scopes; `permissions` then says what was really granted
  // (docs/platform.md#token-exchange).
  const scopeChoices = request.scopes
    .map((s) =>
      s === 'instagram_business_basic'
        ? `<label><input type="checkbox" checked disabled> ${s}</label>`
        : `<label><input type="checkbox" name="grant" value="${s}" checked> ${s}</label>`,
    )
    .join('<br>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in with Instagram (emulator)</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">
<h1>${escapeHtml(deps.world.app.name)} wants to access your Instagram account</h1>
<p>This is the Inlet Instagram emulator, not instagram.com.</p>
<form method="post" action="/oauth/authorize">${hidden}
<fieldset><legend>Log in as</legend>${accountChoices || '<p>No account yet: create one with POST /_emulator/accounts.</p>'}</fieldset>
<fieldset><legend>Permissions</legend><input type="hidden" name="scope_choice" value="1">${scopeChoices}</fieldset>
<button type="submit" name="decision" value="deny">Cancel</button>
<button type="submit" name="decision" value="approve"${accounts.length ? '' : ' disabled'}>Allow</button>
</form></body></html>`;
}

function decide(deps: OAuthDeps, { res, rawBody }: RoutedRequest): void {
  const form = new URLSearchParams(rawBody);
  const checked = checkAuthorize(deps, form);
  if (checked instanceof OAuthFlatError) return sendMetaJson(res, 400, checked.body());
  const target = new URL(checked.redirectUri);
  if (form.get('decision') !== 'approve') {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_reason', 'user_denied');
    target.searchParams.set('error_description', DENIED);
  } else {
    const accounts = [...deps.world.accounts.keys()];
    const accountId = form.get('account') ?? (accounts.length === 1 ? accounts[0] : undefined);
    if (!accountId || !deps.world.accounts.has(accountId)) {
      return sendMetaJson(res, 400, new OAuthFlatError('Choose an account to log in with').body());
    }
    // A form from the page says which boxes stayed ticked; a scripted POST without it grants all.
    const granted = new Set(
      form.has('scope_choice')
        ? ['instagram_business_basic', ...form.getAll('grant')]
        : checked.scopes,
    );
    const code = newAuthorizationCode();
    deps.world.codes.set(code, {
      code,
      accountId,
      redirectUri: checked.redirectUri,
      scopes: checked.scopes.filter((s) => granted.has(s)),
      issuedAt: deps.clock.now(),
      isUsed: false,
    });
    target.searchParams.set('code', code);
  }
  if (checked.state !== null) target.searchParams.set('state', checked.state);
  // Instagram appends `#_`; it is not part of the code (docs/platform.md#oauth).
  redirect(res, `${target.toString()}#_`);
}

/**
 * Form-encoded exchange with flat errors (docs/platform.md#token-exchange); the code is single-use
 * and lives one hour.
 */
function exchangeCode(deps: OAuthDeps, { res, rawBody }: RoutedRequest): void {
  const { world, clock } = deps;
  const form = new URLSearchParams(rawBody);
  const fail = (message: string) => sendMetaJson(res, 400, new OAuthFlatError(message).body());
  for (const name of ['client_id', 'client_secret', 'grant_type', 'redirect_uri', 'code']) {
    if (!form.get(name)) return fail(`Missing required field ${name}`);
  }
  if (form.get('client_id') !== world.app.appId) return fail('Invalid platform app');
  if (form.get('client_secret') !== world.app.appSecret)
    return fail('Error validating client secret.');
  if (form.get('grant_type') !== 'authorization_code')
    return fail('Invalid grant_type: expected authorization_code');
  const record = world.codes.get(form.get('code')!);
  if (!record || record.isUsed) return fail('Matching code was not found or was already used');
  if (clock.now() - record.issuedAt > CODE_LIFETIME_MS) {
    record.isUsed = true;
    return fail('This authorization code has expired.');
  }
  if (form.get('redirect_uri') !== record.redirectUri)
    return fail('Redirect URI does not match registered redirect URI');
  record.isUsed = true;
  const token = world.issueToken(record.accountId, 'short', clock.now(), record.scopes);
  const account = world.accounts.get(record.accountId)!;
  // Both shapes exist (docs/platform.md#token-exchange). The flat one carries user_id as a bare
  // number above 2^53.
  const body =
    world.app.tokenResponseShape === 'wrapped'
      ? metaJson({
          data: [
            {
              access_token: token.token,
              user_id: account.appScopedId,
              permissions: record.scopes.join(','),
            },
          ],
        })
      : metaJson({
          access_token: token.token,
          user_id: new RawNumber(account.appScopedId),
          permissions: record.scopes,
        });
  sendMetaJson(res, 200, body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
