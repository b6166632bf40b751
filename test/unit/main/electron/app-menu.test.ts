import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from './electron-mock';

vi.mock('electron', () => electron);

const { dialog, Menu } = electron;
const { defaultExportName, exportToFile, installAppMenu, runExportDialog } =
  await import('../../../../main/electron/app-menu');
const { memoryLogger } = await import('../../../fakes/logger');

let dir: string;
beforeEach(() => {
  electron.resetElectronMock();
  dir = mkdtempSync(join(tmpdir(), 'inlet-menu-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

function fakeExport(chunks: string[] = ['{"format":', '"inlet-export"}']) {
  return vi.fn((format: 'json' | 'csv', write: (chunk: string) => void) => {
    for (const chunk of chunks) write(format === 'csv' ? chunk.toUpperCase() : chunk);
  });
}

/** The menu as the shell installs it; each test names only what it looks at. */
function installMenu(overrides: Partial<Parameters<typeof installAppMenu>[0]> = {}) {
  installAppMenu({
    window: () => null,
    exportArchive: fakeExport(),
    logger: memoryLogger(),
    now: () => NOW,
    copyDiagnostics: () => Promise.resolve(),
    ...overrides,
  });
}

function exportItem() {
  const file = Menu.current?.find((item) => item.label === 'File');
  return file?.submenu?.find((item) => item.label === 'Export archive…');
}

describe('the application menu', () => {
  it('has File → Export archive… beside the standard edit, view and window menus', () => {
    installMenu({ platform: 'linux' });
    expect(exportItem()).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+E' });
    expect(Menu.current?.map((item) => item.role ?? item.label)).toEqual([
      'File',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help',
    ]);
    expect(Menu.current?.[0]?.submenu?.at(-1)?.role).toBe('quit');
  });

  it('has Help → About Inlet and Copy diagnostics, which logs whether the copy worked', async () => {
    const logger = memoryLogger();
    const copyDiagnostics = vi
      .fn<() => Promise<void>>()
      .mockResolvedValueOnce()
      .mockRejectedValueOnce(new Error('no clipboard'));
    installMenu({ logger, copyDiagnostics, platform: 'win32' });
    const help = Menu.current?.find((item) => item.role === 'help');
    expect(help?.submenu?.map((item) => item.role ?? item.label)).toEqual([
      'about',
      'Copy diagnostics',
    ]);
    const copy = help?.submenu?.find((item) => item.label === 'Copy diagnostics');
    copy?.click?.();
    await vi.waitFor(() =>
      expect(logger.lines.map((line) => line.message)).toContain(
        'diagnostics copied to the clipboard',
      ),
    );
    copy?.click?.();
    await vi.waitFor(() =>
      expect(logger.lines.map((line) => line.message)).toContain('diagnostics could not be copied'),
    );
  });

  it('starts with the app menu on macOS', () => {
    installMenu({ platform: 'darwin' });
    expect(Menu.current?.[0]?.role).toBe('appMenu');
  });

  it('clicking it asks where to save, then writes the JSON export there', async () => {
    const target = join(dir, 'mine.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const exportArchive = fakeExport();
    installMenu({ exportArchive });
    exportItem()?.click?.();
    await vi.waitFor(() => expect(existsSync(target)).toBe(true));
    expect(readFileSync(target, 'utf8')).toBe('{"format":"inlet-export"}');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: 'inlet-export-2026-11-23.json' }),
    );
    expect(exportArchive).toHaveBeenCalledWith('json', expect.any(Function));
  });
});

describe('runExportDialog', () => {
  it('writes nothing when the dialog is cancelled', async () => {
    const exportArchive = fakeExport();
    await runExportDialog(null, exportArchive, memoryLogger(), NOW);
    expect(exportArchive).not.toHaveBeenCalled();
  });

  it('exports CSV when the chosen name ends in .csv', async () => {
    const target = join(dir, 'inbox.CSV');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    await runExportDialog(null, fakeExport(['a,b\n']), memoryLogger(), NOW);
    expect(readFileSync(target, 'utf8')).toBe('A,B\n');
  });

  it('explains a failure, leaves an existing file untouched and no partial file behind', async () => {
    const target = join(dir, 'old.json');
    writeFileSync(target, 'previous export');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const failing = vi.fn((_format: 'json' | 'csv', write: (chunk: string) => void) => {
      write('{"half":');
      throw new Error('database is locked');
    });
    await runExportDialog(null, failing, memoryLogger(), NOW);
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'The archive could not be exported',
      expect.stringContaining('database is locked'),
    );
    expect(readFileSync(target, 'utf8')).toBe('previous export');
    expect(readdirSync(dir)).toEqual(['old.json']);
  });

  it('reports a folder it cannot write to', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({
      canceled: false,
      filePath: join(dir, 'missing', 'x.json'),
    });
    await runExportDialog(null, fakeExport(), memoryLogger(), NOW);
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'The archive could not be exported',
      expect.stringContaining('ENOENT'),
    );
  });
});

describe('export helpers', () => {
  it('names the file after the day', () => {
    expect(defaultExportName(NOW)).toBe('inlet-export-2026-11-23.json');
  });

  it('exportToFile renames into place only after everything was written, owner-only', async () => {
    const target = join(dir, 'a.json');
    await exportToFile(fakeExport(['1', '2', '3']), target);
    expect(readFileSync(target, 'utf8')).toBe('123');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});
