import type { Logger } from './ports';

/** Field names whose values are secrets or single-use credentials. */
const SECRET_KEYS =
  /^(access_?token|accessToken|token|client_secret|appSecret|app_secret|secret|code|state|signature|x-hub-signature(-256)?|authorization|authtoken|password|verify_?token|hub\.verify_token)$/i;

/** Secrets that can hide inside free text: bearer tokens, token query parameters, signatures. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[\w.~+/=-]+/gi, '$1[redacted]'],
  [
    /([?&](?:access_token|client_secret|code|state|token|hub\.verify_token|verify_token)=)[^&\s"']+/gi,
    '$1[redacted]',
  ],
  [/(sha256=)[0-9a-f]{16,}/gi, '$1[redacted]'],
  [/\bIGAA[\w-]{8,}/g, '[redacted]'],
];

export function redactText(text: string): string {
  return SECRET_PATTERNS.reduce(
    (out, [pattern, replacement]) => out.replace(pattern, replacement),
    text,
  );
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEYS.test(key) ? '[redacted]' : redactFields(item, depth + 1),
    ]),
  );
}

/**
 * One JSON line per log entry, secrets redacted before they reach `write`. Both shells write to
 * stderr (headless keeps stdout for its machine-readable ready line).
 */
export function createLogger(
  write: (line: string) => void,
  clock: { now(): number } = Date,
): Logger {
  const log =
    (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
      const entry = {
        at: new Date(clock.now()).toISOString(),
        level,
        message: redactText(message),
      };
      write(JSON.stringify(fields ? { ...entry, ...(redactFields(fields) as object) } : entry));
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
