import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Where a running Inlet's webhook listener can be reached, written beside the archive it serves so
 * that `inlet replay` and `inlet simulate` find it without being told. It holds no secret.
 */
const ListenerFile = z.object({ url: z.string().url(), pid: z.number().int() });
export type ListenerInfo = z.infer<typeof ListenerFile>;

export function listenerFilePath(archivePath: string): string {
  return `${archivePath}.listener.json`;
}

export function writeListenerFile(archivePath: string, info: ListenerInfo): void {
  writeFileSync(listenerFilePath(archivePath), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export function removeListenerFile(archivePath: string): void {
  rmSync(listenerFilePath(archivePath), { force: true });
}

/** The running listener for this archive, or null when none is (the file is absent, stale or bad). */
export function readListenerFile(
  archivePath: string,
  isRunning: (pid: number) => boolean,
): ListenerInfo | null {
  let text: string;
  try {
    text = readFileSync(listenerFilePath(archivePath), 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ListenerFile.safeParse(json);
  return parsed.success && isRunning(parsed.data.pid) ? parsed.data : null;
}
