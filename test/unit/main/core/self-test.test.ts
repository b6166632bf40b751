import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatSelfTest,
  runSelfTest,
  selfTestChecks,
  type BundleLayout,
  type SelfTestResult,
} from '../../../../main/core/self-test';

const ADDON =
  '/opt/Inlet/resources/app.asar.unpacked/node_modules/@ngrok/ngrok-linux-x64-gnu/ngrok.linux-x64-gnu.node';

let root: string;
let outDir: string;

function writeBundle(): void {
  mkdirSync(join(outDir, 'renderer', 'assets'), { recursive: true });
  mkdirSync(join(outDir, 'preload'), { recursive: true });
  writeFileSync(
    join(outDir, 'renderer', 'index.html'),
    `<html><head>
    <script type="module" crossorigin src="./assets/index-a1.js"></script>
    <link rel="stylesheet" href="./assets/index-b2.css"></head></html>`,
  );
  writeFileSync(join(outDir, 'renderer', 'assets', 'index-a1.js'), 'export {};');
  writeFileSync(join(outDir, 'renderer', 'assets', 'index-b2.css'), 'body{}');
  writeFileSync(join(outDir, 'preload', 'index.cjs'), 'require("electron");');
}

function check(overrides: Partial<BundleLayout> = {}): Promise<SelfTestResult[]> {
  return runSelfTest(
    selfTestChecks({
      outDir,
      loadNgrok: () => Promise.resolve({ forward: () => undefined }),
      loadedLibraries: () => ['/usr/lib/libc.so.6', ADDON],
      tempDir: root,
      ...overrides,
    }),
  );
}

const byName = (results: SelfTestResult[]) =>
  Object.fromEntries(results.map((result) => [result.name, result]));

/** The detail of a check that must have failed. */
async function failure(name: string, overrides: Partial<BundleLayout> = {}): Promise<string> {
  const result = byName(await check(overrides))[name];
  expect(result?.ok).toBe(false);
  return result?.detail ?? '';
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inlet-self-test-unit-'));
  outDir = join(root, 'out');
  writeBundle();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('self-test', () => {
  it('passes every check on a complete bundle, using a throw-away archive', async () => {
    const results = await check();
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['archive', true],
      ['ngrok', true],
      ['renderer', true],
      ['preload', true],
      ['threads', true],
    ]);
    expect(byName(results).ngrok?.detail).toContain(ADDON);
    // The real receiver and processing programs, started as probes: they loaded and ended.
    expect(byName(results).threads?.detail).toBe('receiver and processing threads start');
    expect(byName(results).renderer?.detail).toContain('2 asset(s)');
  });

  it('reports an archive engine that cannot open its temporary database', async () => {
    const notAFolder = join(root, 'file');
    writeFileSync(notAFolder, '');
    const results = byName(await check({ tempDir: notAFolder }));
    expect(results.archive?.ok).toBe(false);
    expect(results.archive?.detail).toMatch(/ENOTDIR|not a directory/i);
    expect(results.ngrok?.ok).toBe(true); // one failure does not hide the other checks
  });

  it('reports an ngrok addon that does not load, or loads without its API', async () => {
    const reject = () => Promise.reject(new Error('Cannot find module ngrok.linux-x64-gnu.node'));
    expect(await failure('ngrok', { loadNgrok: reject })).toContain('Cannot find module');
    expect(await failure('ngrok', { loadNgrok: () => Promise.resolve({}) })).toContain(
      'no forward()',
    );
  });

  it('refuses a packaged addon loaded from anywhere but app.asar.unpacked', async () => {
    outDir = join(root, 'resources', 'app.asar', 'out');
    writeBundle();
    const elsewhere = '/home/dev/node_modules/@ngrok/ngrok-linux-x64-gnu/ngrok.linux-x64-gnu.node';
    expect(await failure('ngrok', { loadedLibraries: () => [elsewhere] })).toContain(elsewhere);
    expect(byName(await check()).ngrok?.ok).toBe(true);
  });

  it('reports a renderer with an inline script its policy would block, or with files missing', async () => {
    const html = join(outDir, 'renderer', 'index.html');
    writeFileSync(html, '<html><script>alert(1)</script><script src="./a.js"></script></html>');
    expect(await failure('renderer')).toBe(
      'index.html has an inline script, which the Content-Security-Policy blocks',
    );

    writeBundle();
    rmSync(join(outDir, 'renderer', 'assets', 'index-b2.css'));
    expect(await failure('renderer')).toBe('missing renderer files: assets/index-b2.css');

    rmSync(join(outDir, 'renderer'), { recursive: true });
    expect(await failure('renderer')).toContain('ENOENT');
  });

  it('reports a missing or empty preload', async () => {
    writeFileSync(join(outDir, 'preload', 'index.cjs'), '');
    expect(await failure('preload')).toContain('is empty');
    rmSync(join(outDir, 'preload'), { recursive: true });
    expect(await failure('preload')).toContain('is missing');
  });

  it('reports a worker thread program that is missing or does not load', async () => {
    const program = (body: string | null) => () => {
      const path = join(root, 'worker.mjs');
      if (body === null) rmSync(path, { force: true });
      else writeFileSync(path, body);
      return { url: pathToFileURL(path), execArgv: [] };
    };
    expect(await failure('threads', { workerEntry: program(null) })).toMatch(
      /^the receiver thread does not start: .*(Cannot find module|ERR_MODULE_NOT_FOUND)/,
    );
    expect(
      await failure('threads', { workerEntry: program("throw new Error('half a bundle');") }),
    ).toBe('the receiver thread does not start: half a bundle');
    const hangs = program('setInterval(() => {}, 1000);');
    expect(await failure('threads', { workerEntry: hangs, workerLoadTimeoutMs: 500 })).toBe(
      'the receiver thread does not start: worker.mjs did not load within 500 ms',
    );
  });

  it('prints one aligned line per check, or one JSON document', () => {
    const results: SelfTestResult[] = [
      { name: 'archive', ok: true, detail: 'fine' },
      { name: 'ngrok', ok: false, detail: 'gone' },
    ];
    expect(formatSelfTest(results, false).split('\n')).toEqual([
      'ok   archive  fine',
      'FAIL ngrok    gone',
    ]);
    expect(JSON.parse(formatSelfTest(results, true))).toEqual({ ok: false, checks: results });
  });
});
