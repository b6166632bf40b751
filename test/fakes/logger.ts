import type { Logger } from '../../main/core/ports';

export type LogLine = {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
};

/** A logger that remembers what it was told, so tests can assert on (and against) log lines. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}
