import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAppRequestHandler,
  registerAppScheme,
  serveRenderer,
} from '../../../../main/electron/app-protocol';
import { rendererCsp } from '../../../../main/core/security/content-security-policy';
import { net, protocol, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

// <tmp>/secret.txt sits next to the renderer folder: what a traversal would be after.
let base: string;
let rendererDir: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'inlet-app-protocol-'));
  rendererDir = path.join(base, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Inlet</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("inlet")');
  writeFileSync(path.join(rendererDir, '.env'), 'INLET_APP_SECRET=shh');
  writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => resetElectronMock());

/** Reads the file a `file://` URL names, as `net.fetch` does inside Electron. */
const readFileUrl = async (fileUrl: string) => new Response(await readFile(fileURLToPath(fileUrl)));

describe('registerAppScheme', () => {
  it('registers app:// as standard and secure with fetch support, and nothing more', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});

describe('the app:// request handler', () => {
  const handle = (url: string, init?: RequestInit) =>
    createAppRequestHandler(rendererDir, readFileUrl)(new Request(url, init));

  const LIVE_CSP = rendererCsp({ sandboxOrigin: null });

  it('serves a built file with the renderer CSP and nosniff headers', async () => {
    const response = await handle('app://inlet/assets/app.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log("inlet")');
    expect(response.headers.get('content-security-policy')).toBe(LIVE_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    'app://inlet/',
    'app://inlet',
    'app://inlet/index.html',
    'app://inlet/conversations/42',
  ])('answers %s with index.html, under the same policy', async (url) => {
    const response = await handle(url);
    expect(await response.text()).toContain('<title>Inlet</title>');
    expect(response.headers.get('content-security-policy')).toBe(LIVE_CSP);
  });

  it('admits the sandbox emulator’s origin while, and only while, sandbox mode runs', async () => {
    let sandboxOrigin: string | null = 'http://127.0.0.1:4900';
    const serve = createAppRequestHandler(rendererDir, readFileUrl, {
      mediaFile: () => null,
      sandboxOrigin: () => sandboxOrigin,
    });
    const inSandbox = await serve(new Request('app://inlet/'));
    expect(inSandbox.headers.get('content-security-policy')).toBe(
      rendererCsp({ sandboxOrigin: 'http://127.0.0.1:4900' }),
    );
    sandboxOrigin = null; // the owner connected their Meta app: the core restarted live
    const live = await serve(new Request('app://inlet/'));
    expect(live.headers.get('content-security-policy')).toBe(LIVE_CSP);
  });

  // The guard itself is tested in test/unit/main/core/security/renderer-files.test.ts.
  it.each([
    'app://inlet/..%2fsecret.txt',
    'app://inlet/assets/..%2f..%2fsecret.txt',
    'app://inlet/%2e%2e%2fsecret.txt',
    'app://inlet/assets%2f..%2f..%2fsecret.txt',
    'app://inlet/..%5csecret.txt',
    'app://inlet/assets/..%5C..%5Csecret.txt',
    'app://inlet/index.html%00.js',
    'app://inlet/%E0%A4%A', // not decodable
    'app://evil/index.html', // another host on our scheme
    'app://inlet.evil/index.html',
    'https://inlet/index.html',
  ])('answers %s with 400 and never a byte from outside the folder', async (url) => {
    const response = await handle(url);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('TOP SECRET');
    expect(response.headers.get('content-security-policy')).toBe(LIVE_CSP);
  });

  it('keeps dotfiles private', async () => {
    const response = await handle('app://inlet/.env');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('shh');
  });

  it('answers 404 for a missing asset, 405 for anything but GET/HEAD, 503 when nothing is built', async () => {
    expect((await handle('app://inlet/assets/missing.js')).status).toBe(404);
    expect((await handle('app://inlet/index.html', { method: 'POST', body: 'x' })).status).toBe(
      405,
    );
    const unbuilt = createAppRequestHandler(path.join(base, 'nowhere'), readFileUrl);
    const response = await unbuilt(new Request('app://inlet/'));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:app');
  });

  it('serves archived attachments by recorded name only, with the recorded content type', async () => {
    const name = '0f8fad5b-d9cb-469f-a165-70867728950e.png';
    writeFileSync(path.join(base, name), 'PNGDATA');
    const lookup = vi.fn((asked: string) =>
      asked === name ? { path: path.join(base, name), contentType: 'image/png' } : null,
    );
    const serve = createAppRequestHandler(rendererDir, readFileUrl, {
      mediaFile: lookup,
      sandboxOrigin: () => null,
    });
    const response = await serve(new Request(`app://inlet/archive/media/${name}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('PNGDATA');
    for (const url of [
      'app://inlet/archive/media/secret.txt',
      'app://inlet/archive/media/..%2Fsecret.txt',
      'app://inlet/archive/media/',
    ]) {
      expect((await serve(new Request(url))).status, url).toBe(404);
    }
    // A recorded name whose file is gone (data folder cleaned by hand) is a 404, not a crash.
    rmSync(path.join(base, name));
    expect((await serve(new Request(`app://inlet/archive/media/${name}`))).status).toBe(404);
  });

  it('is what serveRenderer installs for app://, fetching files through net.fetch', async () => {
    net.fetch.mockImplementation(readFileUrl);
    serveRenderer(rendererDir, { mediaFile: () => null, sandboxOrigin: () => null });
    const [scheme, handler] = protocol.handle.mock.calls[0] as [
      string,
      (request: Request) => Promise<Response>,
    ];
    expect(scheme).toBe('app');
    const response = await handler(new Request('app://inlet/'));
    expect(await response.text()).toContain('<title>Inlet</title>');
    expect(net.fetch).toHaveBeenCalledWith(`file://${path.join(rendererDir, 'index.html')}`);
  });
});
