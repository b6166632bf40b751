import { describe, expect, it } from 'vitest';
import { contentTypeOf, parseRequestPath } from '../../../../main/headless/static-files';

describe('parseRequestPath', () => {
  it.each([
    ['/', []],
    ['/?token=abc', []],
    ['/assets/app.js?v=1', ['assets', 'app.js']],
    ['//assets///app.js', ['assets', 'app.js']],
    ['/conversations/17841400000000001%3A9', ['conversations', '17841400000000001:9']],
    ['/caf%C3%A9.png', ['café.png']],
  ])('parses %s', (target, expected) => {
    expect(parseRequestPath(target)).toEqual(expected);
  });

  // The first line of defence; resolveStaticFile also checks the resolved and the real path.
  it.each([
    '/../package.json',
    '/assets/./app.js',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/x',
    '/..%5c..%5cfile',
    '/a%5cb',
    '/a%00.js',
    '/%zz',
    'assets/app.js',
    'http://evil.test/',
    '*',
  ])('refuses %s', (target) => {
    expect(parseRequestPath(target)).toBeNull();
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/b.JS', 'text/javascript; charset=utf-8'],
    ['x.css', 'text/css; charset=utf-8'],
    ['x.svg', 'image/svg+xml'],
    ['x.woff2', 'font/woff2'],
    ['x.exe', 'application/octet-stream'],
    ['Makefile', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});
