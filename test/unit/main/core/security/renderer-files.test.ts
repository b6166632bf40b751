import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseRequestPath,
  resolveRendererFile,
} from '../../../../../main/core/security/renderer-files';
import { makeRendererDir } from '../../headless/headless-kit';

// <base>/secret.txt and <base>/outside/ sit next to the renderer folder: what a traversal is after.
let dirs: ReturnType<typeof makeRendererDir>;
let base: string;
let rendererDir: string;

beforeAll(() => {
  dirs = makeRendererDir(); // index.html and assets/app-abc123.js
  ({ root: base, rendererDir } = dirs);
  mkdirSync(path.join(base, 'outside'));
  writeFileSync(path.join(rendererDir, '.env'), 'INLET_APP_SECRET=shh');
  writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  writeFileSync(path.join(base, 'outside', 'secret.js'), 'TOP SECRET');
  // Links a build could contain: to a file outside, to a folder outside, and one that stays in.
  symlinkSync(path.join(base, 'secret.txt'), path.join(rendererDir, 'assets', 'leak.txt'));
  symlinkSync(path.join(base, 'outside'), path.join(rendererDir, 'linked'));
  symlinkSync(
    path.join(rendererDir, 'assets', 'app-abc123.js'),
    path.join(rendererDir, 'alias.js'),
  );
});
afterAll(() => dirs.cleanup());

describe('parseRequestPath', () => {
  it.each([
    ['/', []],
    ['/?token=abc', []],
    ['/#/x', []],
    ['/assets/app.js?v=1#top', ['assets', 'app.js']],
    ['//assets///app.js', ['assets', 'app.js']],
    ['/conversations/17841400000000001%3A9', ['conversations', '17841400000000001:9']],
    ['/caf%C3%A9.png', ['café.png']],
    ['/a/..b/c..', ['a', '..b', 'c..']], // dots inside a name are just a name
  ])('parses %s', (target, expected) => {
    expect(parseRequestPath(target)).toEqual(expected);
  });

  it.each([
    '/../package.json',
    '/assets/../../secret.txt',
    '/assets/./app.js',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/x',
    '/.%2e/x',
    '/%2e/x',
    '/..%2fsecret.txt', // an encoded slash
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt', // an encoded backslash
    '/a\\b',
    '/..\\secret.txt',
    '/a%00.js', // NUL
    '/index.html%00.js',
    '/%zz', // not decodable
    '/%E0%A4%A',
    'assets/app.js', // not origin-form
    'C:/Windows/win.ini',
    'http://evil.test/',
    '*',
    '',
  ])('refuses %j', (target) => {
    expect(parseRequestPath(target)).toBeNull();
  });
});

describe('resolveRendererFile', () => {
  const resolve = (target: string) => resolveRendererFile(rendererDir, target);
  const file = (relative: string, isIndex = false) => ({
    kind: 'file',
    filePath: path.join(rendererDir, relative),
    size: expect.any(Number) as number,
    isIndex,
  });

  it.each([
    ['/', 'index.html', true],
    ['/index.html', 'index.html', true],
    ['/assets/app-abc123.js?v=1', path.join('assets', 'app-abc123.js'), false],
    ['/conversations/42', 'index.html', true], // a client-side route
    ['/conversations/178414:6677', 'index.html', true], // `:` never reaches the file system
    ['/etc/passwd', 'index.html', true], // an absolute path is just a route inside the folder
    ['//etc/passwd', 'index.html', true],
    ['/alias.js', 'alias.js', false], // a link that stays inside the folder
  ])('serves %s as %s', async (target, relative, isIndex) => {
    await expect(resolve(target)).resolves.toEqual(file(relative, isIndex));
  });

  it('gives the size of the file it serves', async () => {
    await expect(resolve('/assets/app-abc123.js')).resolves.toMatchObject({ size: 21 });
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt'])(
    'refuses %s as a bad request',
    async (target) => {
      await expect(resolve(target)).resolves.toEqual({ kind: 'bad-request' });
    },
  );

  it('never follows a symlink out of the folder', async () => {
    await expect(resolve('/assets/leak.txt')).resolves.toEqual({ kind: 'not-found' });
    await expect(resolve('/linked/secret.js')).resolves.toEqual({ kind: 'not-found' });
  });

  it('keeps dotfiles and missing assets private (404, not index.html)', async () => {
    await expect(resolve('/.env')).resolves.toEqual({ kind: 'not-found' });
    await expect(resolve('/assets/.env')).resolves.toEqual({ kind: 'not-found' });
    await expect(resolve('/assets/missing.js')).resolves.toEqual({ kind: 'not-found' });
    await expect(resolve('/assets')).resolves.toEqual(file('index.html', true)); // a folder is a route
  });

  it('refuses an index.html that links out of the folder', async () => {
    const linkedBuild = path.join(base, 'linked-build');
    mkdirSync(linkedBuild);
    symlinkSync(path.join(base, 'secret.txt'), path.join(linkedBuild, 'index.html'));
    await expect(resolveRendererFile(linkedBuild, '/')).resolves.toEqual({ kind: 'not-found' });
  });

  it('says the UI is not built when the folder has no index.html', async () => {
    await expect(resolveRendererFile(path.join(base, 'nowhere'), '/')).resolves.toEqual({
      kind: 'not-built',
    });
  });
});
