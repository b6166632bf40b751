import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// electron-store is loaded by Node itself, outside vitest's module graph, so vi.mock('electron')
// cannot reach it (only packages in `server.deps.inline` see mocks). With this variable the real `electron` package returns a path
// string instead of downloading a binary: electron-store then runs as it does
// outside Electron, which it allows given an absolute cwd. That is the real library on disk.
vi.hoisted(() => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= '/nonexistent-electron-dist';
});

const { electronStoreKv } = await import('../../../../main/electron/electron-store-kv');
const { nodeFileKv } = await import('../../../../main/headless/node-file-kv');

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'inlet-store-kv-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('electronStoreKv', () => {
  it('round-trips values through <dataDir>/settings.json and survives a restart', () => {
    const kv = electronStoreKv(dataDir);
    expect(kv.get('verifyToken')).toBeUndefined();
    kv.set('verifyToken', 'abcdefghijklmnopqrstuvwx');
    kv.set('settings', { graphUrl: 'http://127.0.0.1:4900', ngrokDomain: 'calm-otter.ngrok.app' });
    kv.set('a.b', 1); // keys are names, not paths into nested objects

    const reopened = electronStoreKv(dataDir);
    expect(reopened.get('verifyToken')).toBe('abcdefghijklmnopqrstuvwx');
    expect(reopened.get('settings')).toEqual({
      graphUrl: 'http://127.0.0.1:4900',
      ngrokDomain: 'calm-otter.ngrok.app',
    });
    expect(reopened.get('a.b')).toBe(1);
    expect(reopened.get('a')).toBeUndefined();

    reopened.delete('verifyToken');
    expect(electronStoreKv(dataDir).get('verifyToken')).toBeUndefined();
  });

  it('writes the same file the headless shell reads, readable by its owner only', () => {
    electronStoreKv(dataDir).set('verifyToken', 'shared-between-shells-123');
    expect(nodeFileKv(dataDir).get('verifyToken')).toBe('shared-between-shells-123');
    const file = path.join(dataDir, 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      verifyToken: 'shared-between-shells-123',
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('hands out copies: changing a value read does not change the store', () => {
    const kv = electronStoreKv(dataDir);
    kv.set('settings', { appId: '1' });
    const read = kv.get('settings') as { appId: string };
    read.appId = 'changed';
    expect(kv.get('settings')).toEqual({ appId: '1' });
  });
});
