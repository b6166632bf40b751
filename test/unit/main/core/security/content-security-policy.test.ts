import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INSTAGRAM_MEDIA_SOURCES,
  rendererCsp,
} from '../../../../../main/core/security/content-security-policy';

const REPO = path.resolve(import.meta.dirname, '../../../../..');
const SANDBOX = 'http://127.0.0.1:4900';

/** `a b; c d` → { a: ['b'], c: ['d'] }, refusing a directive named twice (browsers keep the first). */
function directives(policy: string): Record<string, string[]> {
  const parsed: Record<string, string[]> = {};
  for (const directive of policy.split(';')) {
    const [name = '', ...sources] = directive.trim().split(/\s+/);
    expect(parsed[name], `${name} appears twice`).toBeUndefined();
    parsed[name] = sources;
  }
  return parsed;
}

describe('rendererCsp', () => {
  it('lets images and media come from the page itself and Instagram’s CDN hosts only', () => {
    const policy = directives(rendererCsp({ sandboxOrigin: null }));
    expect(policy['img-src']).toEqual(["'self'", ...INSTAGRAM_MEDIA_SOURCES, 'data:']);
    expect(policy['media-src']).toEqual(["'self'", ...INSTAGRAM_MEDIA_SOURCES]);
    expect(INSTAGRAM_MEDIA_SOURCES).toEqual([
      'https://lookaside.fbsbx.com',
      'https://*.cdninstagram.com',
      'https://*.fbcdn.net',
    ]);
  });

  it('never admits a whole scheme or any host', () => {
    for (const sandboxOrigin of [null, SANDBOX]) {
      for (const [name, sources] of Object.entries(directives(rendererCsp({ sandboxOrigin })))) {
        for (const source of sources) {
          expect(source, name).not.toMatch(/^(https?:|wss?:|\*)$/);
          expect(source, name).not.toContain("'unsafe-");
        }
      }
    }
  });

  it('keeps the rest of the page strict: own scripts and styles, no plugins, base, forms or framing', () => {
    expect(directives(rendererCsp({ sandboxOrigin: null }))).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('admits exactly the sandbox emulator’s origin for images and media, and only in sandbox mode', () => {
    const sandbox = directives(rendererCsp({ sandboxOrigin: SANDBOX }));
    const live = directives(rendererCsp({ sandboxOrigin: null }));
    expect(sandbox['img-src']).toEqual([...(live['img-src'] ?? []).slice(0, -1), SANDBOX, 'data:']);
    expect(sandbox['media-src']).toEqual([...(live['media-src'] ?? []), SANDBOX]);
    const elsewhere = Object.entries(sandbox).filter(([name]) => !/^(img|media)-src$/.test(name));
    expect(elsewhere.flatMap(([, sources]) => sources)).not.toContain(SANDBOX);
    expect(rendererCsp({ sandboxOrigin: null })).not.toContain('127.0.0.1');
    expect(rendererCsp({ sandboxOrigin: 'http://localhost:4900' })).toContain(
      "media-src 'self' https://lookaside.fbsbx.com https://*.cdninstagram.com https://*.fbcdn.net http://localhost:4900;",
    );
  });

  it.each([
    'http://127.0.0.1:4900/', // a path: not an origin
    'http://127.0.0.1:4900/cdn',
    'https://127.0.0.1:4900', // the emulator speaks http
    'http://127.0.0.1:*', // every port
    'http://emulator.example:4900', // not loopback
    'http://127.0.0.2:4900',
    'http://user@127.0.0.1:4900',
    "http://127.0.0.1:4900; script-src 'unsafe-inline'", // rewriting the policy
    'http://127.0.0.1:4900 https:',
    '',
  ])('refuses %j as the sandbox origin', (sandboxOrigin) => {
    expect(() => rendererCsp({ sandboxOrigin })).toThrow(RangeError);
  });

  it('relaxes only what Vite’s dev server needs, and leaves out what a meta tag cannot carry', () => {
    const dev = directives(rendererCsp({ sandboxOrigin: null, isDevServer: true }));
    expect(dev['script-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev['img-src']).toEqual([
      "'self'",
      ...INSTAGRAM_MEDIA_SOURCES,
      'http://127.0.0.1:*',
      'data:',
    ]);
    expect(dev['frame-ancestors']).toBeUndefined();
  });
});

describe('renderer/index.html', () => {
  // A second policy in the page would apply too, and only the header knows the sandbox's origin.
  it('carries no policy of its own: the header is the one policy', () => {
    const html = readFileSync(path.join(REPO, 'renderer', 'index.html'), 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
  });
});

describe('the Vite dev server', () => {
  it('puts the dev policy into the page it serves, where no shell sends a header', async () => {
    const { default: config } = await import('../../../../../electron.vite.config');
    const plugins = (config.renderer?.plugins ?? []).flat() as {
      name?: string;
      apply?: string;
      transformIndexHtml?: () => unknown;
    }[];
    const devCsp = plugins.find((plugin) => plugin.name === 'inlet-dev-csp');
    expect(devCsp?.apply).toBe('serve'); // never in a build
    expect(devCsp?.transformIndexHtml?.()).toEqual([
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: rendererCsp({ sandboxOrigin: null, isDevServer: true }),
        },
        injectTo: 'head-prepend',
      },
    ]);
  });
});
