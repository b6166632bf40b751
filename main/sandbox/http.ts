import type { IncomingMessage, ServerResponse } from 'node:http';
import { metaJson } from './meta-json';

/** Enough for any Send API body or admin call; Meta refuses far smaller bodies anyway. */
const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES)
    throw new HttpError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A request body as a flat record: JSON objects as they are, form bodies field by field with
 * JSON-looking values parsed (Chatwoot posts `recipient={"id":…}` form-encoded,
 * docs/platform.md#send-api).
 */
export function parseRequestBody(
  raw: string,
  contentType: string | undefined,
): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) out[key] = parseMaybeJson(value);
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function parseMaybeJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Admin API answers: plain JSON, this is our own surface. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

/**
 * Graph and OAuth answers: Meta's escaped compact JSON (docs/platform.md#error-envelopes: messages
 * carry escaped slashes).
 */
export function sendMetaJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(
    res,
    status,
    typeof body === 'string' ? body : metaJson(body),
    'application/json; charset=UTF-8',
    headers,
  );
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

export type Handler = (request: RoutedRequest) => Promise<void> | void;

export type RoutedRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  rawBody: string;
};

export type Route = { method: string; pattern: RegExp; handler: Handler };

export function route(method: string, pattern: RegExp, handler: Handler): Route {
  return { method, pattern, handler };
}

/** First route whose method and path match; `params` are the pattern's capture groups. */
export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | null {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(pathname);
    if (match)
      return { route: candidate, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return null;
}
