import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, createAppUrlCheck, openIfSafe } from '../../../../main/core/links';
import type { ExternalBrowser } from '../../../../main/core/ports';

function recordingBrowser(): ExternalBrowser & { opened: string[] } {
  const opened: string[] = [];
  return { opened, open: async (url) => void opened.push(url.href) };
}

describe('createAppUrlCheck', () => {
  const isAppUrl = createAppUrlCheck([APP_ORIGIN]);

  it.each(['app://inlet/', 'app://inlet', 'app://inlet/index.html', 'app://inlet/c/1?x=2#top'])(
    'accepts our own page %s',
    (url) => expect(isAppUrl(url)).toBe(true),
  );

  it.each([
    ['a longer host', 'app://inlet.evil.example/'],
    ['a host with our name as prefix', 'app://inletx/'],
    ['our origin only in the query', 'app://evil/?next=app://inlet/'],
    ['userinfo in front of our host', 'app://user@inlet/'],
    ['userinfo that spells our host', 'app://inlet@evil/'],
    ['an explicit port', 'app://inlet:443/'],
    ['another scheme with our host', 'https://inlet/'],
    ['a file URL', 'file:///inlet/index.html'],
    ['a data URL', 'data:text/html,<h1>inlet</h1>'],
    ['about:blank', 'about:blank'],
    ['a relative URL', '/index.html'],
    ['a protocol-relative URL', '//inlet/'],
    ['the empty string', ''],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => expect(isAppUrl(url)).toBe(false));

  it('trusts a dev server origin only when it is passed in, and only its exact port', () => {
    const withDev = createAppUrlCheck([APP_ORIGIN, 'http://localhost:5173']);
    expect(withDev('http://localhost:5173/')).toBe(true);
    expect(withDev('HTTP://LOCALHOST:5173/src/main.tsx')).toBe(true); // special schemes normalise
    expect(withDev('http://localhost:5174/')).toBe(false);
    expect(withDev('http://127.0.0.1:5173/')).toBe(false);
    expect(withDev('https://localhost:5173/')).toBe(false);
    expect(withDev('ws://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });

  it('refuses to build a check from something that is not an origin', () => {
    expect(() => createAppUrlCheck(['inlet'])).toThrow(/Not an origin/);
    expect(() => createAppUrlCheck(['mailto:someone@example.com'])).toThrow(/Not an origin/);
  });
});

describe('openIfSafe', () => {
  it.each([
    ['https://example.com/', 'https://example.com/'],
    ['http://example.com/a?b=1#c', 'http://example.com/a?b=1#c'],
    ['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
    ['  https://example.com/padded  ', 'https://example.com/padded'],
    ['https://example.com:8443/', 'https://example.com:8443/'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
    ['https://xn--nxasmq6b.example/', 'https://xn--nxasmq6b.example/'],
  ])('hands the web link %s to the browser, normalised', async (url, expected) => {
    const browser = recordingBrowser();
    await expect(openIfSafe(url, browser)).resolves.toBe(true);
    expect(browser.opened).toEqual([expected]);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: in capitals', 'JavaScript:alert(1)'],
    ['javascript: with a tab inside the scheme', 'java\tscript:alert(1)'],
    ['javascript: with a newline inside the scheme', 'java\nscript:alert(1)'],
    ['javascript: after leading whitespace', ' \n javascript:alert(1)'],
    ['javascript: dressed as a URL with a host', 'javascript://example.com/%0aalert(1)'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['file: on a share', 'file://server/share/setup.exe'],
    ['our own scheme', 'app://inlet/'],
    ['a custom scheme that launches a program', 'ms-msdt:/id PCWDiagnostic'],
    ['a custom scheme with a host', 'vscode://vscode.git/clone?url=x'],
    ['mailto:', 'mailto:a@example.com'],
    ['ftp:', 'ftp://example.com/file'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a relative path', '/settings'],
    ['a bare host', 'evil.example'],
    ['userinfo that fakes a trusted host', 'https://bank.example@evil.example/'],
    ['a user and password', 'https://user:secret@example.com/'],
    ['an http URL with no host', 'https://'],
    ['the empty string', ''],
  ])('never opens %s', async (_label, url) => {
    const browser = recordingBrowser();
    await expect(openIfSafe(url, browser)).resolves.toBe(false);
    expect(browser.opened).toEqual([]);
  });

  it('passes a browser failure on to the caller instead of swallowing it', async () => {
    const failing: ExternalBrowser = { open: () => Promise.reject(new Error('no browser')) };
    await expect(openIfSafe('https://example.com/', failing)).rejects.toThrow('no browser');
  });
});
