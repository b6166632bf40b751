import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forwardToLogin } from '../../../../../main/core/accounts/callback-proxy';
import {
  CALLBACK_PATH,
  startOAuthFlow,
  type OAuthFlow,
} from '../../../../../main/core/auth/oauth-flow';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { memoryLogger } from '../../../../fakes/logger';
import { expectHostileRequestsRefused, expectSlowSendersCut, rawExchange } from '../http/raw-http';
import {
  APP_ID,
  APP_SECRET,
  consentBrowser,
  getWithHost,
  startAuthHarness,
  type AuthHarness,
} from './auth-harness';

/**
 * The login listener and the public route that forwards to it, attacked while a real login waits:
 * the browser holds its redirect until the attack is over, and the login must still complete.
 */
let h: AuthHarness;
let publicListener: WebhookServer;
let flow: OAuthFlow;
let releaseRedirect: () => void;
let localPort: number;
let localHost: string;
let publicHost: string;

beforeEach(async () => {
  h = await startAuthHarness();
  publicListener = new WebhookServer({
    port: 0,
    secrets: () => [],
    verifyToken: () => 'unused-verify-token',
    onDelivery: () => undefined,
    logger: memoryLogger(),
  });
  await publicListener.start();
  publicHost = `127.0.0.1:${publicListener.port}`;
  const redirectUri = `http://${publicHost}${CALLBACK_PATH}`;
  await h.client.configureApp({ redirectUris: [redirectUri] });
  const held = new Promise<void>((resolve) => (releaseRedirect = resolve));
  flow = await startOAuthFlow({
    appId: APP_ID,
    appSecret: APP_SECRET,
    oauthUrl: h.emulator.url,
    redirectUri,
    graph: h.graph,
    browser: consentBrowser({ decision: 'approve', beforeRedirect: () => held }),
    clock: h.clock,
    logger: h.logger,
    listen: { port: 0 },
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 300 },
  });
  publicListener.mount(CALLBACK_PATH, (request, response) =>
    forwardToLogin(request, response, flow.localCallbackUrl),
  );
  localPort = Number(new URL(flow.localCallbackUrl).port);
  localHost = `127.0.0.1:${localPort}`;
});

afterEach(async () => {
  releaseRedirect();
  flow.cancel();
  await publicListener.stop();
  await h.stop();
});

/** The held redirect goes through and the login completes: nothing above spoiled it. */
async function loginStillCompletes(): Promise<void> {
  releaseRedirect();
  const account = await flow.result;
  expect(account.username).toBe('acme.studio');
  expect(h.fetch.count('/oauth/access_token')).toBe(1);
}

describe('the OAuth login listener under hostile input', () => {
  it('refuses every malformed request with its exact status and closes', async () => {
    await expectHostileRequestsRefused(localPort, CALLBACK_PATH, localHost, { readsBody: false });
    await loginStillCompletes();
  });

  it('answers odd targets, hosts, methods and forged callbacks without consuming the login', async () => {
    // Each answer is a page that closes its connection (a login needs one request).
    const cases: { request: string; status: number }[] = [
      {
        request: `GET //x:99999/ HTTP/1.1\r\nHost: ${localHost}\r\n\r\n`,
        status: 404,
      },
      { request: `GET //[ HTTP/1.1\r\nHost: ${localHost}\r\n\r\n`, status: 404 },
      {
        request: `GET ${CALLBACK_PATH} HTTP/1.1\r\nHost: evil.example\r\n\r\n`,
        status: 421,
      },
      {
        request: `GET ${CALLBACK_PATH} HTTP/1.1\r\nHost: evil.example\r\nHost: ${localHost}\r\n\r\n`,
        status: 421,
      },
      {
        request: `POST ${CALLBACK_PATH}?code=x HTTP/1.1\r\nHost: ${localHost}\r\nContent-Length: 10737418240\r\n\r\n{`,
        status: 405,
      },
      {
        request: `GET ${CALLBACK_PATH}?code=forged&state=guess HTTP/1.1\r\nHost: ${localHost}\r\n\r\n`,
        status: 400,
      },
      {
        request: `GET ${CALLBACK_PATH}?code=a&code=b&state=%zz HTTP/1.1\r\nHost: ${localHost}\r\n\r\n`,
        status: 400,
      },
    ];
    for (const { request, status } of cases) {
      const answer = await rawExchange(localPort, request);
      expect(answer.status, request.split('\r\n')[0]).toBe(status);
      expect(answer.closed, request.split('\r\n')[0]).toBe(true);
    }
    expect(h.fetch.count('/oauth/access_token')).toBe(0);
    await loginStillCompletes();
  });

  it('cuts a slow sender with 408 and a close', async () => {
    await expectSlowSendersCut(localPort, CALLBACK_PATH, localHost, { readsBody: false });
    await loginStillCompletes();
  });
});

describe('the public callback route forwarding to the login listener', () => {
  it('refuses every malformed request with its exact status and closes', async () => {
    await expectHostileRequestsRefused(publicListener.port ?? 0, CALLBACK_PATH, publicHost, {
      readsBody: false,
    });
    await loginStillCompletes();
  });

  it('passes the login listener’s refusals through, and closes on an unread body', async () => {
    const port = publicListener.port ?? 0;
    expect((await getWithHost(`http://${publicHost}${CALLBACK_PATH}`, 'evil.example')).status).toBe(
      421,
    );
    const forged = await rawExchange(
      port,
      `GET ${CALLBACK_PATH}?code=forged&state=guess HTTP/1.1\r\nHost: ${publicHost}\r\n\r\n`,
    );
    expect(forged.status).toBe(400);
    const posted = await rawExchange(
      port,
      `POST ${CALLBACK_PATH} HTTP/1.1\r\nHost: ${publicHost}\r\nContent-Length: 10737418240\r\n\r\n{`,
    );
    expect(posted.status).toBe(405);
    expect(posted.closed).toBe(true);
    expect(h.fetch.count('/oauth/access_token')).toBe(0);
    await loginStillCompletes();
  });

  it('answers "no login waiting" once the login listener is gone', async () => {
    await loginStillCompletes();
    const late = await getWithHost(
      `http://${publicHost}${CALLBACK_PATH}?code=x&state=y`,
      publicHost,
    );
    expect(late.status).toBe(404);
    expect(late.text).toContain('No login is waiting');
  });
});
