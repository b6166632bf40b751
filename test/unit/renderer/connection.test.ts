import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  headlessSocketUrl,
  takeHeadlessToken,
  type HeadlessPage,
} from '../../../renderer/src/connection';

const TOKEN = 's3cr+t/token';
const ADDRESS = `http://127.0.0.1:4870/?token=${encodeURIComponent(TOKEN)}`;

/** A tab: its address (moved by replaceState, as a browser does) and the tab's sessionStorage. */
function fakePage(address: string, storage: Storage | 'refused' = window.sessionStorage) {
  const location = new URL(address);
  const history = {
    state: { scroll: 3 },
    replaceState: vi.fn((_state: unknown, _unused: string, url: string) => {
      location.href = new URL(url, location.href).href;
    }),
  };
  const page = { location, history } as unknown as HeadlessPage;
  Object.defineProperty(page, 'sessionStorage', {
    get: () => {
      if (storage === 'refused') throw new DOMException('Access is denied', 'SecurityError');
      return storage;
    },
  });
  return { page, location, history };
}

beforeEach(() => window.sessionStorage.clear());

describe('takeHeadlessToken', () => {
  it('reads the token, then takes it out of the address and its history entry', () => {
    const { page, location, history } = fakePage(`${ADDRESS}&lang=de#inbox`);
    expect(takeHeadlessToken(page, 'token')).toBe(TOKEN);
    expect(location.href).toBe('http://127.0.0.1:4870/?lang=de#inbox');
    expect(location.href).not.toContain('token');
    // Replaced, not pushed: Back never returns to the address with the token.
    expect(history.replaceState).toHaveBeenCalledOnce();
    expect(history.replaceState).toHaveBeenCalledWith({ scroll: 3 }, '', '/?lang=de#inbox');
  });

  it('still connects after a reload: the tab keeps the token, the address does not get it back', () => {
    takeHeadlessToken(fakePage(ADDRESS).page, 'token');
    const reloaded = fakePage('http://127.0.0.1:4870/');
    expect(takeHeadlessToken(reloaded.page, 'token')).toBe(TOKEN);
    expect(reloaded.history.replaceState).not.toHaveBeenCalled();
    expect(reloaded.location.href).toBe('http://127.0.0.1:4870/');
  });

  it('takes a new token from the address over the stored one (the server restarted)', () => {
    takeHeadlessToken(fakePage(ADDRESS).page, 'token');
    const next = fakePage('http://127.0.0.1:4870/?token=next-run-token');
    expect(takeHeadlessToken(next.page, 'token')).toBe('next-run-token');
    expect(takeHeadlessToken(fakePage('http://127.0.0.1:4870/').page, 'token')).toBe(
      'next-run-token',
    );
  });

  it('answers an empty token when there is none anywhere (the server then refuses the socket)', () => {
    const { page, history } = fakePage('http://127.0.0.1:4870/');
    expect(takeHeadlessToken(page, 'token')).toBe('');
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it('leaves the token in the address where the browser refuses storage, so a reload still works', () => {
    const refused = fakePage(ADDRESS, 'refused');
    expect(takeHeadlessToken(refused.page, 'token')).toBe(TOKEN);
    expect(refused.history.replaceState).not.toHaveBeenCalled();
    expect(refused.location.href).toBe(ADDRESS);

    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    const quota = fakePage(ADDRESS, full);
    expect(takeHeadlessToken(quota.page, 'token')).toBe(TOKEN);
    expect(quota.location.href).toBe(ADDRESS);
  });

  describe('in a real document', () => {
    let before: string;
    beforeEach(() => {
      before = window.location.href;
    });
    afterEach(() => window.history.replaceState(null, '', before));

    it('moves the token out of location.href without adding a history entry', () => {
      window.history.replaceState(null, '', `/?token=${encodeURIComponent(TOKEN)}#x`);
      const entries = window.history.length;
      expect(takeHeadlessToken(window, 'token')).toBe(TOKEN);
      expect(window.location.href).not.toContain('token');
      expect(window.location.search).toBe('');
      expect(window.location.hash).toBe('#x');
      expect(window.history.length).toBe(entries);
      expect(takeHeadlessToken(window, 'token')).toBe(TOKEN); // what a reload finds
    });
  });
});

describe('headlessSocketUrl', () => {
  it('uses wss on an https page and keeps the token encoded', () => {
    const { page } = fakePage('https://inlet.local:8443/?token=a%26b');
    expect(headlessSocketUrl(page, 'token', '/ipc')).toBe('wss://inlet.local:8443/ipc?token=a%26b');
  });

  it('connects with the stored token after the address lost it', () => {
    headlessSocketUrl(fakePage(ADDRESS).page, 'token', '/ipc');
    expect(headlessSocketUrl(fakePage('http://127.0.0.1:4870/').page, 'token', '/ipc')).toBe(
      `ws://127.0.0.1:4870/ipc?token=${encodeURIComponent(TOKEN)}`,
    );
  });
});
