import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './archive/database';
import { rendererCsp } from './security/content-security-policy';
import {
  probeWorker,
  workerEntry,
  WORKER_PROGRAMS,
  type WorkerEntry,
  type WorkerProgram,
} from './worker-thread';

/**
 * `inlet self-test` and the packaged app's `--self-test`: does this bundle hold everything Inlet
 * needs to run on this machine? It never touches user data: the archive check works in a temporary
 * folder it removes again.
 */
export type SelfTestCheck = {
  name: string;
  /** Resolves with what was found; throws (or rejects) with what is wrong. */
  run: () => string | Promise<string>;
};

export type SelfTestResult = { name: string; ok: boolean; detail: string };

export type BundleLayout = {
  /** The built app's `out/` folder (inside app.asar when packaged). */
  outDir: string;
  /** Loads the ngrok native addon the way the tunnel does. */
  loadNgrok: () => Promise<unknown>;
  /** Where each worker thread's program is; default: where the running bundle starts it from. */
  workerEntry?: (program: WorkerProgram) => WorkerEntry;
  /** How long a worker program may take to load; default 10 s. */
  workerLoadTimeoutMs?: number;
  /** Paths of the native libraries loaded into this process (to say where the addon came from). */
  loadedLibraries?: () => string[];
  tempDir?: string;
};

export function selfTestChecks(layout: BundleLayout): SelfTestCheck[] {
  return [
    { name: 'archive', run: () => checkArchiveEngine(layout.tempDir ?? tmpdir()) },
    { name: 'ngrok', run: () => checkNgrokAddon(layout) },
    { name: 'renderer', run: () => checkRenderer(join(layout.outDir, 'renderer')) },
    { name: 'preload', run: () => checkFile(join(layout.outDir, 'preload', 'index.cjs')) },
    {
      name: 'threads',
      run: () => checkWorkerPrograms(layout.workerEntry ?? workerEntry, layout.workerLoadTimeoutMs),
    },
  ];
}

/** The checks of the bundle whose `out/` folder is `outDir`, loading ngrok as the tunnel does. */
export function checkBundle(
  outDir: string,
  overrides: Partial<BundleLayout> = {},
): Promise<SelfTestResult[]> {
  return runSelfTest(
    selfTestChecks({
      outDir,
      loadNgrok: () => import('@ngrok/ngrok'),
      loadedLibraries,
      ...overrides,
    }),
  );
}

/** Runs every check, even after one failed, so the report names everything that is wrong. */
export async function runSelfTest(checks: SelfTestCheck[]): Promise<SelfTestResult[]> {
  const results: SelfTestResult[] = [];
  for (const check of checks) {
    try {
      results.push({ name: check.name, ok: true, detail: await check.run() });
    } catch (error) {
      results.push({
        name: check.name,
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}

/** One line per check (`ok   archive  …` / `FAIL ngrok    …`), or one JSON document. */
export function formatSelfTest(results: SelfTestResult[], json: boolean): string {
  if (json) return JSON.stringify({ ok: results.every((r) => r.ok), checks: results });
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)}  ${r.detail}`)
    .join('\n');
}

/** The real archive code on a throw-away file: migrations, WAL, and an FTS5 search. */
function checkArchiveEngine(parent: string): string {
  const dir = mkdtempSync(join(parent, 'inlet-self-test-'));
  try {
    const db = openDatabase(join(dir, 'self-test.sqlite'));
    try {
      const mode = (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string })
        .journal_mode;
      if (mode !== 'wal') throw new Error(`journal mode is ${mode}, not WAL`);
      db.prepare('INSERT INTO messages_fts (rowid, text) VALUES (1, ?)').run('Größe M verfügbar?');
      const hit = db
        .prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'verfugbar'")
        .get();
      if (hit === undefined) throw new Error('FTS5 full-text search found nothing');
      return 'SQLite with WAL and FTS5 in a temporary database';
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkNgrokAddon(layout: BundleLayout): Promise<string> {
  const ngrok = await layout.loadNgrok();
  if (typeof (ngrok as { forward?: unknown } | null)?.forward !== 'function') {
    throw new Error('@ngrok/ngrok loaded but has no forward()');
  }
  const addon = layout.loadedLibraries?.().find((path) => /ngrok[^/\\]*\.node$/.test(path));
  if (addon === undefined) return 'native addon loaded';
  // The OS cannot load a library from inside app.asar: packaged, it must come from beside it.
  if (layout.outDir.includes('app.asar') && !addon.includes('app.asar.unpacked')) {
    throw new Error(`native addon loaded from ${addon}, not from app.asar.unpacked`);
  }
  return `native addon loaded from ${addon}`;
}

/** Loaded shared libraries as Node's diagnostic report lists them. */
export function loadedLibraries(): string[] {
  const report = process.report.getReport() as { sharedObjects?: unknown };
  return Array.isArray(report.sharedObjects)
    ? report.sharedObjects.filter((path): path is string => typeof path === 'string')
    : [];
}

/**
 * index.html and every script and stylesheet it names, under the policy both shells send as a
 * header (content-security-policy.ts): that policy admits only our own scripts, so the page must
 * carry no inline script, which it would block.
 */
function checkRenderer(dir: string): string {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const policy = rendererCsp({ sandboxOrigin: null });
  const scriptSrc = /(?:^|;)\s*script-src([^;]*)/.exec(policy)?.[1] ?? '';
  if (!scriptSrc.includes("'self'") || /unsafe-(inline|eval)/.test(scriptSrc)) {
    throw new Error(`the Content-Security-Policy allows more scripts than our own: ${scriptSrc}`);
  }
  if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(html)) {
    throw new Error('index.html has an inline script, which the Content-Security-Policy blocks');
  }
  const assets = [...html.matchAll(/(?:src|href)="(?:\.?\/)?([^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  );
  if (assets.length === 0) throw new Error('index.html loads no script');
  const missing = assets.filter((asset) => !existsSync(join(dir, asset)));
  if (missing.length > 0) throw new Error(`missing renderer files: ${missing.join(', ')}`);
  return `index.html, its Content-Security-Policy and ${assets.length} asset(s)`;
}

/**
 * Each worker thread's program started as the app starts it, from where the bundle keeps it (inside
 * app.asar when packaged), as a probe that ends once its imports loaded.
 */
async function checkWorkerPrograms(
  entryOf: (program: WorkerProgram) => WorkerEntry,
  timeoutMs?: number,
): Promise<string> {
  const programs = Object.keys(WORKER_PROGRAMS) as WorkerProgram[];
  for (const program of programs) {
    try {
      await probeWorker(entryOf(program), timeoutMs);
    } catch (error) {
      throw new Error(
        `the ${program} thread does not start: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return `${programs.join(' and ')} threads start`;
}

function checkFile(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing`);
  if (statSync(path).size === 0) throw new Error(`${path} is empty`);
  return path;
}
