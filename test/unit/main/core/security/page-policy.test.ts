import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../../main/core/links';
import {
  appPagesOnly,
  grantsPermission,
  isMetaLoginPage,
  isRedirectTo,
  loginPages,
} from '../../../../../main/core/security/page-policy';

const isAppUrl = createAppUrlCheck([APP_ORIGIN]);
const AUTHORIZE = new URL('https://www.instagram.com/oauth/authorize?client_id=1&state=s');
const REDIRECT = new URL('https://shop.example.com/oauth/callback');

describe('appPagesOnly', () => {
  const rule = appPagesOnly(isAppUrl);

  it('keeps every frame on the app’s origin', () => {
    expect(rule('app://inlet/conversations/1', 'main')).toBe('allow');
    expect(rule('app://inlet/frame', 'sub')).toBe('allow');
    for (const url of [
      'https://example.com/',
      'https://www.instagram.com/',
      'file:///etc/passwd',
      'app://evil/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(rule(url, 'main'), url).toBe('refuse');
      expect(rule(url, 'sub'), url).toBe('refuse');
    }
  });
});

describe('loginPages', () => {
  const rule = loginPages(AUTHORIZE, REDIRECT);

  it.each([
    'https://www.instagram.com/accounts/login/?next=/oauth',
    'https://instagram.com/challenge/',
    'https://api.instagram.com/oauth/authorize?client_id=1',
    'https://www.facebook.com/login.php',
    'https://m.facebook.com/login/',
    'https://facebook.com/',
  ])('lets the page move to Meta’s login page %s', (url) => {
    expect(rule(url, 'main')).toBe('allow');
  });

  it('captures the redirect to the registered URI, with its code or its refusal', () => {
    expect(rule(`${REDIRECT.href}?code=AQB&state=s#_`, 'main')).toBe('capture');
    expect(rule(`${REDIRECT.href}?error=access_denied&state=s`, 'main')).toBe('capture');
  });

  it.each([
    'http://www.instagram.com/accounts/login/', // not https
    'https://www.instagram.com:8443/', // another port
    'https://instagram.com@evil.example/', // userinfo trick
    'https://www.instagram.com.evil.example/',
    'https://evilinstagram.com/',
    'https://evil.example/?next=https://www.instagram.com/',
    'https://shop.example.com/oauth/callbackx', // not the registered path
    'http://shop.example.com/oauth/callback', // nor its scheme
    'https://shop.example.com/', // the redirect host is not a login page
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://inlet/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(rule(url, 'main')).toBe('refuse');
  });

  it('allows the authorize URL’s own origin (the emulator in development)', () => {
    const emulated = loginPages(new URL('http://127.0.0.1:4900/oauth/authorize?x=1'), REDIRECT);
    expect(emulated('http://127.0.0.1:4900/oauth/authorize?x=1&consent=1', 'main')).toBe('allow');
    expect(emulated('http://127.0.0.1:4901/', 'main')).toBe('refuse');
  });

  it('leaves Meta’s frames to Meta as long as they are https', () => {
    expect(rule('https://www.google.com/recaptcha/api2/anchor', 'sub')).toBe('allow');
    expect(rule('http://tracker.example/', 'sub')).toBe('refuse');
    expect(rule('file:///etc/passwd', 'sub')).toBe('refuse');
    // A frame cannot hand back the code: only the page itself can be captured.
    expect(rule(`${REDIRECT.href}?code=AQB`, 'sub')).toBe('allow');
  });
});

describe('isRedirectTo', () => {
  it('matches scheme, host and path exactly', () => {
    const url = (text: string) => new URL(text);
    expect(isRedirectTo(url(`${REDIRECT.href}?code=x`), REDIRECT)).toBe(true);
    expect(isRedirectTo(url('http://shop.example.com/oauth/callback?code=x'), REDIRECT)).toBe(
      false,
    );
    expect(isRedirectTo(url('https://shop.example.com.evil.io/oauth/callback'), REDIRECT)).toBe(
      false,
    );
    expect(isRedirectTo(url('https://shop.example.com/oauth/callbackx'), REDIRECT)).toBe(false);
    expect(isRedirectTo(url('https://shop.example.com:444/oauth/callback'), REDIRECT)).toBe(false);
  });
});

describe('isMetaLoginPage', () => {
  it('knows Instagram’s and Facebook’s https hosts and nothing that merely looks like them', () => {
    expect(isMetaLoginPage(new URL('https://www.instagram.com/'))).toBe(true);
    expect(isMetaLoginPage(new URL('https://business.facebook.com/'))).toBe(true);
    expect(isMetaLoginPage(new URL('https://instagram.com.evil.example/'))).toBe(false);
    expect(isMetaLoginPage(new URL('https://fakefacebook.com/'))).toBe(false);
    expect(isMetaLoginPage(new URL('https://user:pw@www.instagram.com/'))).toBe(false);
  });
});

describe('grantsPermission', () => {
  const PERMISSIONS = [
    'media',
    'display-capture',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'openExternal',
    'hid',
    'usb',
    'serial',
    'midiSysex',
    'fullscreen',
    'unknown',
  ];

  it('refuses every permission to every page but Inlet’s own', () => {
    for (const url of ['https://www.instagram.com/accounts/login/', 'https://evil.example/', '']) {
      for (const permission of PERMISSIONS) {
        expect(grantsPermission(permission, url, isAppUrl), `${permission} ${url}`).toBe(false);
      }
    }
  });

  it('lets Inlet’s own pages write to the clipboard (Copy buttons), and nothing else', () => {
    const granted = PERMISSIONS.filter((permission) =>
      grantsPermission(permission, 'app://inlet/', isAppUrl),
    );
    expect(granted).toEqual(['clipboard-sanitized-write']);
    expect(grantsPermission('clipboard-sanitized-write', 'app://inlet', isAppUrl)).toBe(true);
  });
});
