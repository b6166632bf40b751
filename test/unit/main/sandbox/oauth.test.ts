import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID, APP_SECRET, body, graphError, startHarness, type Harness } from './harness';

const REDIRECT = 'https://calm-otter.ngrok.app/oauth/callback';
const SCOPES =
  'instagram_business_basic,instagram_business_manage_messages,instagram_business_manage_comments';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('emulator OAuth (Business Login for Instagram, docs/platform.md#accounts-and-login)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.client.configureApp({ redirectUris: [REDIRECT] });
  });
  afterEach(() => h.stop());

  const authorizeQuery = (overrides: Record<string, string> = {}) =>
    new URLSearchParams({
      client_id: APP_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: SCOPES,
      state: 'st-123',
      ...overrides,
    });

  /** Submits the consent form like the page's buttons do; returns the redirect Location. */
  async function decide(
    decision: 'approve' | 'deny',
    extra: Record<string, string | string[]> = {},
    query = authorizeQuery(),
  ) {
    const form = new URLSearchParams(query);
    form.set('decision', decision);
    form.set('account', h.account.igUserId);
    for (const [key, value] of Object.entries(extra)) {
      form.delete(key);
      for (const v of [value].flat()) form.append(key, v);
    }
    const response = await fetch(`${h.emulator.url}/oauth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      text: await response.text(),
    };
  }

  const codeOf = (location: string) =>
    new URL(location.replace(/#_$/, '')).searchParams.get('code')!;

  async function exchange(fields: Record<string, string>) {
    const response = await fetch(`${h.emulator.url}/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: APP_ID,
        client_secret: APP_SECRET,
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT,
        ...fields,
      }).toString(),
    });
    return { status: response.status, text: await response.text() };
  }

  it('shows a consent page with a form that posts back to the emulator', async () => {
    const page = await fetch(`${h.emulator.url}/oauth/authorize?${authorizeQuery().toString()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/oauth/authorize">');
    expect(html).toContain('value="approve"');
    expect(html).toContain('value="deny"');
    expect(html).toContain('@acme.studio');
    expect(html).toContain('name="state" value="st-123"');
  });

  it.each([
    [{ client_id: '111' }, 'Invalid platform app'],
    [{ redirect_uri: `${REDIRECT}/` }, 'Invalid redirect_uri'],
    [{ redirect_uri: 'http://localhost/callback' }, 'Invalid redirect_uri'],
    [
      { scope: 'business_basic,business_manage_messages' },
      'Invalid Scopes: business_basic, business_manage_messages',
    ],
    [{ scope: 'instagram_business_manage_messages' }, 'instagram_business_basic is required'],
    [{ response_type: 'token' }, 'Invalid response_type'],
  ])('refuses an authorize request with %o', async (override, message) => {
    const response = await fetch(
      `${h.emulator.url}/oauth/authorize?${authorizeQuery(override).toString()}`,
    );
    expect(response.status).toBe(400);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json.error_type).toBe('OAuthException');
    expect(json.code).toBe(400);
    expect(String(json.error_message)).toContain(message);
  });

  it('redirects a denial with error=access_denied, the state and #_', async () => {
    const { status, location } = await decide('deny');
    expect(status).toBe(302);
    expect(location.endsWith('#_')).toBe(true);
    const url = new URL(location.slice(0, -2));
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      error: 'access_denied',
      error_reason: 'user_denied',
      error_description: 'The user denied your request',
      state: 'st-123',
    });
  });

  it('issues a single-use code and a flat token answer with user_id as a bare number above 2^53', async () => {
    const { location } = await decide('approve');
    expect(location).toMatch(
      /^https:\/\/calm-otter\.ngrok\.app\/oauth\/callback\?code=[\w-]+&state=st-123#_$/,
    );
    const code = codeOf(location);

    const first = await exchange({ code });
    expect(first.status).toBe(200);
    const rawUserId = /"user_id":(\d+)[,}]/.exec(first.text)?.[1];
    expect(rawUserId).toMatch(/^\d{17}$/);
    expect(BigInt(rawUserId!) > 2n ** 53n).toBe(true);
    const parsed = JSON.parse(first.text) as {
      access_token: string;
      user_id: number;
      permissions: string[];
    };
    expect(parsed.access_token).toMatch(/^IGAA/);
    expect(parsed.permissions).toEqual(SCOPES.split(','));

    // The token-exchange user_id is the app-scoped id (= /me id), never the webhook IG_ID
    // (docs/platform.md#ids).
    const me = await h.graph('/v24.0/me?fields=user_id,username', { token: parsed.access_token });
    expect(body<{ id: string; user_id: string }>(me)).toEqual({
      user_id: h.account.igUserId,
      username: 'acme.studio',
      id: rawUserId,
    });

    const again = await exchange({ code });
    expect(again.status).toBe(400);
    expect(JSON.parse(again.text)).toEqual({
      error_type: 'OAuthException',
      code: 400,
      error_message: 'Matching code was not found or was already used',
    });
  });

  it('answers in the wrapped data[] shape when asked to', async () => {
    await h.client.configureApp({ tokenResponseShape: 'wrapped' });
    const { location } = await decide('approve');
    const answer = await exchange({ code: codeOf(location) });
    const json = JSON.parse(answer.text) as {
      data: { access_token: string; user_id: string; permissions: string }[];
    };
    expect(json.data[0]!.access_token).toMatch(/^IGAA/);
    expect(json.data[0]!.user_id).toMatch(/^\d{17}$/);
    expect(json.data[0]!.permissions).toBe(SCOPES);
  });

  it('grants only the scopes the user left ticked', async () => {
    const { location } = await decide('approve', {
      scope_choice: '1',
      grant: ['instagram_business_manage_comments'],
    });
    const parsed = JSON.parse((await exchange({ code: codeOf(location) })).text) as {
      access_token: string;
      permissions: string[];
    };
    expect(parsed.permissions).toEqual([
      'instagram_business_basic',
      'instagram_business_manage_comments',
    ]);
    const send = await h.sendMessage(
      { recipient: { id: h.customer.igsid }, message: { text: 'hi' } },
      parsed.access_token,
    );
    expect(send.status).toBe(403);
    expect(graphError(send).code).toBe(10);
  });

  it('refuses a wrong secret, a different redirect_uri, the code with #_ and an expired code', async () => {
    await h.client.configureApp({ redirectUris: [REDIRECT, `${REDIRECT}/`] });
    const code = codeOf((await decide('approve')).location);
    const messageOf = (text: string) =>
      (JSON.parse(text) as { error_message: string }).error_message;
    expect(messageOf((await exchange({ code, client_secret: 'nope' })).text)).toBe(
      'Error validating client secret.',
    );
    expect(messageOf((await exchange({ code, redirect_uri: `${REDIRECT}/` })).text)).toBe(
      'Redirect URI does not match registered redirect URI',
    );
    expect(messageOf((await exchange({ code: `${code}#_` })).text)).toBe(
      'Matching code was not found or was already used',
    );
    expect(messageOf((await exchange({ code, grant_type: 'client_credentials' })).text)).toContain(
      'grant_type',
    );
    await h.client.advanceClock(HOUR + 1);
    expect(messageOf((await exchange({ code })).text)).toBe('This authorization code has expired.');
  });

  it('exchanges a short-lived token for a 60-day one, which expires with the clock', async () => {
    const short = (
      JSON.parse((await exchange({ code: codeOf((await decide('approve')).location) })).text) as {
        access_token: string;
      }
    ).access_token;
    const badSecret = await h.graph(
      `/access_token?grant_type=ig_exchange_token&client_secret=x&access_token=${short}`,
      { token: null },
    );
    expect(badSecret.status).toBe(400);
    expect(graphError(badSecret).message).toBe('Error validating client secret.');

    const long = await h.graph(
      `/access_token?grant_type=ig_exchange_token&client_secret=${APP_SECRET}&access_token=${short}`,
      { token: null },
    );
    expect(long.status).toBe(200);
    const json = body<{ access_token: string; token_type: string; expires_in: number }>(long);
    expect(json.token_type).toBe('bearer');
    expect(json.expires_in).toBe(60 * 24 * 3600);
    expect(json.access_token).not.toBe(short);

    await h.client.advanceClock(HOUR + 1);
    const expiredShort = await h.graph('/v24.0/me', { token: short });
    expect(graphError(expiredShort)).toMatchObject({
      code: 190,
      error_subcode: 463,
      type: 'OAuthException',
    });
    expect((await h.graph('/v24.0/me', { token: json.access_token })).status).toBe(200);

    await h.client.advanceClock(60 * DAY);
    const expiredLong = await h.graph('/v24.0/me', { token: json.access_token });
    expect(graphError(expiredLong)).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('refreshes only long-lived tokens at least 24 h old and not expired', async () => {
    const token = h.account.accessToken;
    const refresh = () =>
      h.graph(`/refresh_access_token?grant_type=ig_refresh_token&access_token=${token}`, {
        token: null,
      });
    const early = await refresh();
    expect(early.status).toBe(400);
    expect(graphError(early).message).toContain('24 hours');

    await h.client.advanceClock(DAY);
    const ok = await refresh();
    expect(ok.status).toBe(200);
    expect(body(ok)).toEqual({ access_token: token, token_type: 'bearer', expires_in: 5_184_000 });

    // Refreshing moved the expiry: 59 days later the token still works, and is refreshable.
    await h.client.advanceClock(59 * DAY);
    expect((await h.graph('/me')).status).toBe(200);
    await h.client.advanceClock(2 * DAY);
    expect(graphError(await refresh())).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('rejects unknown and missing tokens with the documented codes', async () => {
    expect(graphError(await h.graph('/v24.0/me', { token: 'IGAAnot-a-token' }))).toMatchObject({
      code: 190,
      error_subcode: 467,
    });
    expect(graphError(await h.graph('/v24.0/me', { token: null })).code).toBe(2500);
  });
});
