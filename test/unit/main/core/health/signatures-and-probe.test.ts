import { afterEach, describe, expect, it } from 'vitest';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { signBody } from '../../../../../main/core/webhook/signature';
import { SignatureLog } from '../../../../../main/core/health/signature-log';
import { PROBE_PATH, PublicProbe, remoteTime } from '../../../../../main/core/health/public-probe';
import { memoryLogger } from '../../../../fakes/logger';

const INSTAGRAM_SECRET = 'instagram-app-secret';
const META_SECRET = 'meta-app-secret';
const BODY = '{"object":"instagram","entry":[]}';
let server: WebhookServer | null = null;

afterEach(async () => {
  await server?.stop();
  server = null;
});

async function listen(secrets: readonly string[]) {
  let now = 1_000_000;
  const log = new SignatureLog(() => now);
  const stored: string[] = [];
  let verified = 0;
  server = new WebhookServer({
    port: 0,
    secrets: () => secrets,
    verifyToken: () => 'verify-me',
    onSignatureChecked: (matched) => log.record(matched),
    onVerified: () => (verified += 1),
    onDelivery: (body) => void stored.push(Buffer.from(body).toString()),
    logger: memoryLogger(),
  });
  await server.start();
  const url = server.url ?? '';
  const post = (secret: string) =>
    fetch(url, {
      method: 'POST',
      body: BODY,
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': signBody(BODY, secret),
      },
    });
  return {
    url,
    log,
    stored,
    post,
    verified: () => verified,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

describe('signatures with either secret', () => {
  it('accepts a delivery signed with the Instagram or the Meta app secret and records which matched', async () => {
    const hook = await listen([INSTAGRAM_SECRET, META_SECRET]);
    expect((await hook.post(META_SECRET)).status).toBe(200);
    expect(hook.log.lastMatched).toBe('meta');
    expect((await hook.post(INSTAGRAM_SECRET)).status).toBe(200);
    expect(hook.log.lastMatched).toBe('instagram');
    expect(hook.stored).toHaveLength(2);
    expect(hook.log.refusalsSince(0)).toBe(0);
  });

  it('refuses, and counts, a delivery signed with another secret; the count forgets after an hour', async () => {
    const hook = await listen([INSTAGRAM_SECRET, '']);
    expect((await hook.post(META_SECRET)).status).toBe(401);
    expect((await hook.post('')).status).toBe(401);
    expect(hook.stored).toHaveLength(0);
    expect(hook.log.refusalsSince(hook.now() - 60 * 60_000)).toBe(2);
    hook.advance(61 * 60_000);
    expect(hook.log.refusalsSince(hook.now() - 60 * 60_000)).toBe(0);
  });

  it('tells when Meta verified the callback, and not for a refused verification', async () => {
    const hook = await listen([INSTAGRAM_SECRET]);
    await fetch(`${hook.url}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope`);
    expect(hook.verified()).toBe(0);
    await fetch(`${hook.url}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=verify-me`);
    expect(hook.verified()).toBe(1);
  });
});

describe('PublicProbe', () => {
  it('comes back through the listener with its own nonce, and answers a stranger 404', async () => {
    const hook = await listen([INSTAGRAM_SECRET]);
    const probe = new PublicProbe(fetch);
    server?.mount(PROBE_PATH, probe.handler);
    const origin = new URL(hook.url).origin;
    expect(await probe.reach(origin)).toBe(true);
    expect((await fetch(`${origin}${PROBE_PATH}guess`)).status).toBe(404);
  });

  it('fails when the address leads somewhere else', async () => {
    const hook = await listen([INSTAGRAM_SECRET]);
    // No probe route mounted here: the request lands on a listener that does not know the nonce.
    const probe = new PublicProbe(fetch);
    expect(await probe.reach(new URL(hook.url).origin)).toBe(false);
  });

  it('reads Instagram’s time from the Date header, and null without one', async () => {
    const dated = (date: string | null) => () =>
      Promise.resolve(new Response(null, { headers: date ? { date } : {} }));
    expect(await remoteTime(dated('Sat, 05 Dec 2026 12:00:00 GMT'), 'https://graph')).toBe(
      Date.UTC(2026, 11, 5, 12),
    );
    expect(await remoteTime(dated(null), 'https://graph')).toBeNull();
  });
});
