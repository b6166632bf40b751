import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE_NAME = 'inlet.log';
const MAX_BYTES = 5 * 1024 * 1024;
const KEEP_OLD = 3;
const RECENT_LINES = 200;

export type RotatingLogFile = {
  /** Appends one line (already redacted by the logger). Never throws: logging must not stop Inlet. */
  write(line: string): void;
  /** The newest lines written since start, oldest first (for "Copy diagnostics"). */
  recentLines(): string[];
  readonly path: string;
  close(): void;
};

/**
 * The log file of a packaged app, where an owner can find it and send it: `inlet.log` in the OS log
 * folder, moved to `inlet.1.log` (then .2, .3; older ones dropped) when it passes 5 MB, so it never
 * fills the disk. Readable by the owner only (it names accounts and customers).
 */
export function openRotatingLogFile(
  dir: string,
  limits: { maxBytes?: number; keepOld?: number } = {},
): RotatingLogFile {
  const maxBytes = limits.maxBytes ?? MAX_BYTES;
  const keepOld = limits.keepOld ?? KEEP_OLD;
  const path = join(dir, LOG_FILE_NAME);
  const recent: string[] = [];
  let fd: number | null = null;
  let size = 0;
  let hasFailed = false;

  const open = (): number => {
    mkdirSync(dir, { recursive: true });
    const opened = openSync(path, 'a', 0o600);
    fd = opened;
    size = statSync(path).size;
    return opened;
  };
  const rotate = (): number => {
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(join(dir, `inlet.${keepOld}.log`), { force: true });
    for (let n = keepOld - 1; n >= 1; n -= 1) {
      try {
        renameSync(join(dir, `inlet.${n}.log`), join(dir, `inlet.${n + 1}.log`));
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(path, join(dir, 'inlet.1.log'));
    return open();
  };

  return {
    path,
    write(line) {
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      try {
        const bytes = Buffer.from(`${line}\n`);
        let handle = fd ?? open();
        if (size > 0 && size + bytes.length > maxBytes) handle = rotate();
        size += writeSync(handle, bytes);
        hasFailed = false;
      } catch (error) {
        // A full or read-only disk: say so once on stderr, keep running, try again next line.
        if (!hasFailed)
          process.stderr.write(`inlet: cannot write the log file ${path}: ${String(error)}\n`);
        hasFailed = true;
        if (fd !== null) {
          try {
            closeSync(fd);
          } catch {
            // already unusable
          }
        }
        fd = null;
      }
    },
    recentLines: () => [...recent],
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
