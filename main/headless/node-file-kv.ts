import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { KeyValueStore, Logger } from '../core/ports';

export const SETTINGS_FILE = 'settings.json';

/**
 * The headless KeyValueStore: one JSON object in `<dataDir>/settings.json`, held in memory and
 * rewritten on every change. A write goes to a temporary file in the same folder, is flushed, then
 * renamed over the old one, so a crash or a full disk leaves either the old or the new settings,
 * never half of each. Values are copied in and out as JSON, so callers cannot mutate the store
 * behind its back and what `get` returns is exactly what a restart would read.
 *
 * One process per data dir: two `inlet serve` on the same folder would overwrite each other.
 */
export function nodeFileKv(dataDir: string, options: { logger?: Logger } = {}): KeyValueStore {
  const filePath = path.join(dataDir, SETTINGS_FILE);
  const values = readSettings(filePath, options.logger);

  const persist = (): void => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const text = `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`;
    // Settings can hold sealed secrets: owner-only, like the rest of the data dir.
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    try {
      renameSync(temporary, filePath);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  };

  /** Applies a change only if it reached the disk, so memory never runs ahead of the file. */
  const commit = (change: () => void, undo: () => void): void => {
    change();
    try {
      persist();
    } catch (error) {
      undo();
      throw error;
    }
  };

  return {
    get: (key) => (values.has(key) ? cloneJson(values.get(key)) : undefined),
    set: (key, value) => {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError(`Setting "${key}" cannot be stored as JSON`);
      const had = values.has(key);
      const previous = values.get(key);
      commit(
        () => values.set(key, JSON.parse(json) as unknown),
        () => (had ? values.set(key, previous) : values.delete(key)),
      );
    },
    delete: (key) => {
      if (!values.has(key)) return;
      const previous = values.get(key);
      commit(
        () => values.delete(key),
        () => values.set(key, previous),
      );
    },
  };
}

function readSettings(filePath: string, logger: Logger | undefined): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return new Map();
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TypeError('the settings file does not hold a JSON object');
    }
    return new Map(Object.entries(parsed));
  } catch (error) {
    // Keep the unreadable bytes for the owner to inspect instead of overwriting them on next save.
    const aside = `${filePath}.corrupt-${Date.now()}`;
    renameSync(filePath, aside);
    logger?.warn('settings file was unreadable; moved aside, starting with defaults', {
      movedTo: aside,
      error: error instanceof Error ? error.message : String(error),
    });
    return new Map();
  }
}

function cloneJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
