// This test watches the one allowed caller of openExternal, so it names the API the lint rule guards.
/* eslint-disable no-restricted-syntax */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { externalBrowser } from '../../../../main/electron/external-browser';
import { resetElectronMock, shell } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

describe('externalBrowser', () => {
  it('opens an http(s) URL with the OS browser', async () => {
    await externalBrowser.open(new URL('https://example.com/a?b=1'));
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/a?b=1');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id', 'app://inlet/'])(
    'refuses %s even if a caller skipped openIfSafe',
    async (url) => {
      await expect(externalBrowser.open(new URL(url))).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(shell.openExternal).not.toHaveBeenCalled();
    },
  );
});
