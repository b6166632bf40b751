import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../main/sandbox/emulator';
import {
  expectHostileRequestsRefused,
  expectSlowSendersCut,
  rawExchange,
} from '../core/http/raw-http';
import { manualClock } from './webhook-receiver';

/** Meta refuses bodies far smaller; the emulator's own cap (main/sandbox/http.ts). */
const MAX_BODY_BYTES = 1024 * 1024;
/** A route that changes the world when it accepts a body: nothing hostile may move the clock. */
const ADVANCE = '/_emulator/clock/advance';

let emulator: RunningEmulator;
let port: number;
const clock = manualClock();
let startedAt: number;

beforeEach(async () => {
  emulator = await startEmulator({
    appId: '990602627938098',
    appSecret: 'test-app-secret',
    clock,
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 300 },
  });
  port = Number(new URL(emulator.url).port);
  startedAt = await now();
});
afterEach(() => emulator.stop());

async function now(): Promise<number> {
  const response = await fetch(`${emulator.url}/_emulator/clock`);
  return ((await response.json()) as { now: number }).now;
}

/** The clock did not move (nothing hostile was accepted), and a proper call still works. */
async function stillServesUnchanged(): Promise<void> {
  expect(await now()).toBe(startedAt);
  const response = await fetch(`${emulator.url}${ADVANCE}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ms: 1000 }),
  });
  expect(response.status).toBe(200);
  expect(await now()).toBe(startedAt + 1000);
}

function post(body: string | Buffer, headers: string): string | Buffer {
  const head = `POST ${ADVANCE} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n${headers}\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.from(body)]);
}

describe('the emulator under hostile input', () => {
  it('refuses every malformed request with its exact status and closes', async () => {
    await expectHostileRequestsRefused(port, ADVANCE, 'a', { readsBody: true });
    await stillServesUnchanged();
  });

  it('answers `//host` targets as unknown Graph paths, never reading them as hosts', async () => {
    for (const target of ['//x:99999/', '//[']) {
      const answer = await rawExchange(
        port,
        `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status, target).toBe(400);
    }
    await stillServesUnchanged();
  });

  it('answers 413 at once and closes, for a declared and for a chunked body over 1 MiB', async () => {
    const declared = await rawExchange(
      port,
      post('{', `Content-Length: ${MAX_BODY_BYTES + 1}\r\n`),
    );
    expect(declared.status).toBe(413);
    expect(declared.head).toMatch(/Connection: close/i);
    expect(declared.closed).toBe(true);
    const huge = await rawExchange(port, post('{', 'Content-Length: 10737418240\r\n'));
    expect(huge.status).toBe(413);
    expect(huge.closed).toBe(true);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunks = Buffer.concat(
      Array.from({ length: 17 }, () =>
        Buffer.concat([
          Buffer.from(`${chunk.length.toString(16)}\r\n`),
          chunk,
          Buffer.from('\r\n'),
        ]),
      ),
    );
    const chunked = await rawExchange(port, post(chunks, 'Transfer-Encoding: chunked\r\n'));
    expect(chunked.status).toBe(413);
    expect(chunked.closed).toBe(true);
    await stillServesUnchanged();
  });

  it('reads a body of exactly 1 MiB', async () => {
    const body = `{"ms":1000${' '.repeat(MAX_BODY_BYTES - 11)}}`;
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const answer = await rawExchange(
      port,
      post(body, `Content-Length: ${MAX_BODY_BYTES}\r\nConnection: close\r\n`),
    );
    expect(answer.status).toBe(200);
    expect(await now()).toBe(startedAt + 1000);
  });

  it('answers malformed JSON and wrong input 400, changing nothing', async () => {
    for (const body of ['{"ms":', '[1]', '{"ms":"soon"}', '\u0000']) {
      const answer = await rawExchange(
        port,
        post(body, `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n`),
      );
      expect(answer.status, body).toBe(400);
    }
    await stillServesUnchanged();
  });

  it('cuts slow senders with 408 and a close', async () => {
    await expectSlowSendersCut(port, ADVANCE, 'a', { readsBody: true });
    await stillServesUnchanged();
  });
});
