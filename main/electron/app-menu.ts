import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { writeExportFile, type ExportFormat } from '../core/archive/export';
import type { Logger } from '../core/ports';

export type ExportArchive = (format: ExportFormat, write: (chunk: string) => void) => void;

/** `inlet-export-2026-11-23.json`: the date says which export is the newest. */
export function defaultExportName(now: number): string {
  return `inlet-export-${new Date(now).toISOString().slice(0, 10)}.json`;
}

/**
 * The export as JSON, or CSV by extension, written durably: the file only ever holds a complete
 * export (core's writeExportFile).
 */
export function exportToFile(exportArchive: ExportArchive, path: string): Promise<void> {
  const format: ExportFormat = path.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
  return writeExportFile(path, (write) => exportArchive(format, write));
}

/** File → "Export archive…": a save dialog, then the archive as JSON (or CSV by extension). */
export async function runExportDialog(
  window: BrowserWindow | null,
  exportArchive: ExportArchive,
  logger: Logger,
  now: number,
): Promise<void> {
  const options = {
    title: 'Export archive',
    defaultPath: defaultExportName(now),
    filters: [
      { name: 'Inlet export (JSON)', extensions: ['json'] },
      { name: 'Spreadsheet (CSV)', extensions: ['csv'] },
    ],
  };
  const choice = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    await exportToFile(exportArchive, choice.filePath);
    logger.info('archive exported', { path: choice.filePath });
  } catch (error) {
    logger.error('archive export failed', { error: String(error) });
    dialog.showErrorBox(
      'The archive could not be exported',
      `${error instanceof Error ? error.message : String(error)}\n\nNothing was written to ${choice.filePath}.`,
    );
  }
}

/**
 * The application menu: the standard roles, plus File → Export archive… and Help → About Inlet /
 * Copy diagnostics (the text is built in the core; the menu only puts it on the clipboard).
 */
export function installAppMenu(options: {
  window: () => BrowserWindow | null;
  exportArchive: ExportArchive;
  logger: Logger;
  now: () => number;
  copyDiagnostics: () => Promise<void>;
  platform?: NodeJS.Platform;
}): void {
  const isMac = (options.platform ?? process.platform) === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Export archive…',
          accelerator: 'CmdOrCtrl+Shift+E',
          click: () =>
            void runExportDialog(
              options.window(),
              options.exportArchive,
              options.logger,
              options.now(),
            ),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        ...(isMac ? [] : [{ role: 'about' } satisfies MenuItemConstructorOptions]),
        {
          label: 'Copy diagnostics',
          click: () =>
            void options.copyDiagnostics().then(
              () => options.logger.info('diagnostics copied to the clipboard'),
              (error: unknown) =>
                options.logger.error('diagnostics could not be copied', { error: String(error) }),
            ),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
