import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';

/**
 * The page policy as Chromium enforces it against `inlet serve`: images and media come from the
 * page itself, Instagram's CDN hosts and (sandbox only) the embedded emulator, never from an
 * arbitrary host; and the access token leaves the address bar once the page has read it.
 */

/** A 1×1 PNG, served by Playwright for any host it is asked for: only the policy can refuse it. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

type ImageOutcome = { url: string; loaded: boolean; violation: string | null };

/**
 * Loads each image in the page, in order, and reports whether it loaded and which directive
 * refused it. The last URL must be one the policy refuses: its violation arriving after every
 * image settled means the earlier ones' (reported first, at request time) would have arrived too.
 */
async function loadImages(page: Page, urls: string[]): Promise<ImageOutcome[]> {
  await page.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }),
  );
  return page.evaluate(async (sources) => {
    const violations = new Map<string, string>();
    const lastRefused = new Promise<void>((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => {
        violations.set(event.blockedURI, event.effectiveDirective);
        if (event.blockedURI === sources.at(-1)) resolve();
      });
    });
    const settled = sources.map(
      (url) =>
        new Promise<{ url: string; loaded: boolean }>((resolve) => {
          const image = new Image();
          image.onload = () => resolve({ url, loaded: true });
          image.onerror = () => resolve({ url, loaded: false });
          image.src = url;
        }),
    );
    const outcomes = await Promise.all(settled);
    await lastRefused;
    return outcomes.map((outcome) => ({
      ...outcome,
      violation: violations.get(outcome.url) ?? null,
    }));
  }, urls);
}

function sourcesOf(policy: string, directive: string): string[] {
  const entry = policy.split(';').find((part) => part.trim().startsWith(`${directive} `));
  return entry?.trim().split(/\s+/).slice(1) ?? [];
}

test.describe('in sandbox mode', () => {
  test('the policy admits Instagram’s CDN and the sandbox emulator, and no other host', async ({
    sandboxInbox: inbox,
    page,
  }) => {
    const response = await inbox.open();
    const policy = response?.headers()['content-security-policy'] ?? '';
    const imageSources = sourcesOf(policy, 'img-src');
    expect(imageSources).not.toContain('https:');
    const emulator = imageSources.filter((source) => source.startsWith('http://'));
    expect(emulator).toHaveLength(1);
    expect(emulator[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sourcesOf(policy, 'media-src')).toContain(emulator[0]);

    // The seeded story reply shows its picture from Inlet's archive, which downloaded it from
    // the emulator's CDN stand-in (stories expire after a day, the copy does not).
    const thread = await inbox.openConversation('tom.builds');
    const story = thread.log.getByRole('img', { name: 'Story' });
    await expect(story).toBeVisible();
    await expect(story).toHaveAttribute('src', /^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    await expect
      .poll(() => story.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(0);
    await expect(thread.log.getByText('Story no longer available')).toHaveCount(0);

    const otherLoopbackPort = `http://127.0.0.1:${Number(new URL(emulator[0] ?? '').port) + 1}/x.png`;
    expect(
      await loadImages(page, [
        'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=a',
        'https://scontent-lga3-1.cdninstagram.com/v/t51/profile.jpg',
        'https://scontent.xx.fbcdn.net/v/ad.jpg',
        otherLoopbackPort,
        'https://images.example.net/tracking-pixel.png',
      ]),
    ).toEqual([
      expect.objectContaining({ loaded: true, violation: null }),
      expect.objectContaining({ loaded: true, violation: null }),
      expect.objectContaining({ loaded: true, violation: null }),
      { url: otherLoopbackPort, loaded: false, violation: 'img-src' },
      {
        url: 'https://images.example.net/tracking-pixel.png',
        loaded: false,
        violation: 'img-src',
      },
    ]);
  });

  test('the token leaves the address bar and history, and a reload still connects', async ({
    sandbox,
    sandboxInbox: inbox,
    page,
  }) => {
    const token = new URL(sandbox.uiUrl).searchParams.get('token') ?? '';
    expect(token).not.toBe('');
    await inbox.open();
    await expect(inbox.conversation('lena.k')).toBeVisible();
    const origin = new URL(sandbox.uiUrl).origin;
    expect(page.url()).toBe(`${origin}/`);
    expect(await page.evaluate(() => location.href)).not.toContain(token);

    await inbox.reload();
    await expect(inbox.conversation('lena.k')).toBeVisible();
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);
    expect(page.url()).toBe(`${origin}/`);

    // Back leads to where the tab was before Inlet, never to the address with the token.
    await page.goBack();
    expect(page.url()).not.toContain(token);
  });
});

test.describe('in live mode', () => {
  test('the policy admits no plain-http host, not even one on this machine', async ({
    live,
    inbox,
    page,
  }) => {
    const response = await inbox.open();
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).not.toContain('http://');
    // Inlet's own webhook listener: on 127.0.0.1 like the sandbox's emulator, but not the page.
    const loopbackImage = `${new URL(live.webhookUrl).origin}/pixel.png`;
    expect(
      await loadImages(page, [
        'https://scontent-lga3-1.cdninstagram.com/v/t51/profile.jpg',
        loopbackImage,
      ]),
    ).toEqual([
      expect.objectContaining({ loaded: true, violation: null }),
      { url: loopbackImage, loaded: false, violation: 'img-src' },
    ]);
  });
});
