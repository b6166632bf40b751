import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../main/core/errors';
import {
  classifyGraphFailure,
  GraphError,
  isSafeToRetry,
  type GraphFailure,
} from '../../../../../main/core/graph/graph-errors';
import { parseJsonPreservingIds } from '../../../../../main/core/graph/json';

function graphBody(code: number, subcode?: number, message = 'An error occurred') {
  return {
    error: {
      message,
      type: 'IGApiException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: 'AbCdEf123',
    },
  };
}

function classify(code: number, subcode?: number, status = 400) {
  return classifyGraphFailure({
    httpStatus: status,
    body: graphBody(code, subcode),
    requestSent: true,
  });
}

type Row = [
  label: string,
  code: number,
  subcode: number | undefined,
  expected: Pick<GraphFailure, 'kind' | 'reason' | 'appCode'> & Partial<GraphFailure>,
];

// One row per line of docs/platform.md#error-codes.
const rows: Row[] = [
  [
    '1 unknown error: retry once',
    1,
    undefined,
    { kind: 'retryable', reason: 'temporary', appCode: 'GRAPH_ERROR', maxRetries: 1 },
  ],
  [
    '1/99 unknown error: retry once',
    1,
    99,
    { kind: 'retryable', reason: 'temporary', appCode: 'GRAPH_ERROR', maxRetries: 1 },
  ],
  [
    '1/1357046 invalid JSON reply: may have been sent',
    1,
    1357046,
    { kind: 'outcome-unknown', reason: 'no-answer', appCode: 'GRAPH_ERROR' },
  ],
  [
    '2 temporary',
    2,
    1545133,
    { kind: 'retryable', reason: 'temporary', appCode: 'GRAPH_ERROR', maxRetries: null },
  ],
  [
    '4 app rate limit',
    4,
    undefined,
    { kind: 'retryable', reason: 'rate-limited', appCode: 'RATE_LIMITED' },
  ],
  [
    '17 user rate limit',
    17,
    undefined,
    { kind: 'retryable', reason: 'rate-limited', appCode: 'RATE_LIMITED' },
  ],
  [
    '32 page rate limit',
    32,
    undefined,
    { kind: 'retryable', reason: 'rate-limited', appCode: 'RATE_LIMITED' },
  ],
  [
    '613 call rate',
    613,
    2534040,
    { kind: 'retryable', reason: 'rate-limited', appCode: 'RATE_LIMITED' },
  ],
  [
    '80002 Instagram BUC limit',
    80002,
    undefined,
    { kind: 'retryable', reason: 'rate-limited', appCode: 'RATE_LIMITED' },
  ],
  [
    '10/2534022 outside window',
    10,
    2534022,
    { kind: 'permanent', reason: 'outside-window', appCode: 'OUTSIDE_WINDOW', maxRetries: 0 },
  ],
  [
    '10/2018278 outside window (older)',
    10,
    2018278,
    { kind: 'permanent', reason: 'outside-window', appCode: 'OUTSIDE_WINDOW' },
  ],
  [
    '10/2018108 not receiving',
    10,
    2018108,
    { kind: 'permanent', reason: 'recipient-unavailable', appCode: 'GRAPH_ERROR' },
  ],
  [
    '10/1893063 sending restricted',
    10,
    1893063,
    { kind: 'permanent', reason: 'account-restricted', appCode: 'GRAPH_ERROR' },
  ],
  [
    '10 permission denied',
    10,
    undefined,
    { kind: 'permanent', reason: 'permission-missing', appCode: 'GRAPH_ERROR' },
  ],
  [
    '100 invalid parameter',
    100,
    undefined,
    { kind: 'permanent', reason: 'invalid-request', appCode: 'INVALID_INPUT' },
  ],
  [
    '100/33 no such object',
    100,
    33,
    { kind: 'permanent', reason: 'not-found', appCode: 'NOT_FOUND' },
  ],
  [
    '100/2534014 no matching user',
    100,
    2534014,
    { kind: 'permanent', reason: 'not-found', appCode: 'NOT_FOUND' },
  ],
  [
    '100/2534029 business blocked',
    100,
    2534029,
    { kind: 'permanent', reason: 'account-restricted', appCode: 'GRAPH_ERROR' },
  ],
  [
    '100/2018047 attachment failure',
    100,
    2018047,
    { kind: 'permanent', reason: 'attachment-rejected', appCode: 'INVALID_INPUT' },
  ],
  [
    '190 no subcode',
    190,
    undefined,
    { kind: 'reauth', reason: 'token-invalid', appCode: 'NOT_CONNECTED', maxRetries: 0 },
  ],
  ...[458, 459, 460, 463, 464, 467, 492].map((subcode): Row => [
    `190/${subcode}`,
    190,
    subcode,
    { kind: 'reauth', reason: 'token-invalid', appCode: 'NOT_CONNECTED' },
  ]),
  [
    '200/2534041 access revoked',
    200,
    2534041,
    { kind: 'reauth', reason: 'access-revoked', appCode: 'NOT_CONNECTED' },
  ],
  [
    '200 permission',
    200,
    undefined,
    { kind: 'permanent', reason: 'permission-missing', appCode: 'GRAPH_ERROR' },
  ],
  [
    '299 permission',
    299,
    undefined,
    { kind: 'permanent', reason: 'permission-missing', appCode: 'GRAPH_ERROR' },
  ],
  [
    '230 consent required',
    230,
    undefined,
    { kind: 'permanent', reason: 'consent-required', appCode: 'GRAPH_ERROR' },
  ],
  [
    '368 policy block',
    368,
    undefined,
    { kind: 'permanent', reason: 'account-restricted', appCode: 'GRAPH_ERROR' },
  ],
  [
    '551 unavailable',
    551,
    1545041,
    { kind: 'permanent', reason: 'recipient-unavailable', appCode: 'GRAPH_ERROR' },
  ],
  [
    '2500 unknown path',
    2500,
    undefined,
    { kind: 'permanent', reason: 'invalid-request', appCode: 'GRAPH_ERROR' },
  ],
  [
    '1609005 story gone',
    1609005,
    undefined,
    { kind: 'permanent', reason: 'story-unavailable', appCode: 'NOT_FOUND' },
  ],
  [
    '2534025 as a code',
    2534025,
    undefined,
    { kind: 'permanent', reason: 'private-reply-unavailable', appCode: 'GRAPH_ERROR' },
  ],
  [
    '2534025 as a subcode',
    10,
    2534025,
    { kind: 'permanent', reason: 'private-reply-unavailable', appCode: 'GRAPH_ERROR' },
  ],
];

describe('classifyGraphFailure: Graph codes (docs/platform.md#error-codes)', () => {
  it.each(rows)('%s', (_label, code, subcode, expected) => {
    const failure = classify(code, subcode);
    expect(failure).toMatchObject({
      ...expected,
      graphCode: code,
      subcode: subcode ?? null,
      fbtraceId: 'AbCdEf123',
    });
    expect(failure.explanation.text.length).toBeGreaterThan(20);
    expect(failure.explanation.text).not.toMatch(/undefined|null|\[object/);
  });

  it('explains the 24-hour window in words the owner can act on', () => {
    expect(classify(10, 2534022).explanation.text).toMatch(/24 hours/);
    const humanAgent = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(10, 2534022),
      requestSent: true,
      isHumanAgentSend: true,
    });
    expect(humanAgent.explanation.text).toMatch(/7 days/);
  });

  it('gives each 190 subcode the same reconnect verdict', () => {
    expect(classify(190, 463).explanation.text).toMatch(/Connect the account again/);
  });

  it('recognises the dev-mode "Unsupported request" 100 by its text, the one text rule (docs/platform.md#app-modes)', () => {
    for (const method of ['get', 'post']) {
      const failure = classifyGraphFailure({
        httpStatus: 400,
        body: graphBody(100, undefined, `Unsupported request - method type: ${method}`),
        requestSent: true,
      });
      expect(failure).toMatchObject({
        kind: 'permanent',
        reason: 'app-role-missing',
        appCode: 'GRAPH_ERROR',
      });
      expect(failure.explanation.text).toMatch(/Instagram Tester/);
    }
  });

  it('classifies by code and subcode, whatever the wording or escaping of the message', () => {
    const raw =
      '{"error":{"message":"(#10) This message is sent outside of allowed window. Learn more: https:\\/\\/developers.facebook.com\\/docs\\/messenger-platform","type":"OAuthException","code":10,"error_subcode":2534022,"fbtrace_id":"A\\/b+c"}}';
    const fromRaw = classifyGraphFailure({
      httpStatus: 400,
      body: parseJsonPreservingIds(raw),
      requestSent: true,
    });
    expect(fromRaw).toMatchObject({ reason: 'outside-window', fbtraceId: 'A/b+c' });
    const reworded = classify(10, 2534022);
    expect(reworded.reason).toBe(fromRaw.reason);
    // Text that looks like a token error does not make a rate limit into something else.
    const misleading = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(4, undefined, 'Error validating access token: session has expired'),
      requestSent: true,
    });
    expect(misleading.reason).toBe('rate-limited');
  });

  it('reads codes sent as digit strings', () => {
    const failure = classifyGraphFailure({
      httpStatus: 400,
      body: { error: { message: 'x', code: '190', error_subcode: '463' } },
      requestSent: true,
    });
    expect(failure).toMatchObject({ kind: 'reauth', graphCode: 190, subcode: 463 });
  });

  it('lets the code win over the HTTP status (a 500 carrying code 2 is retryable)', () => {
    expect(classify(2, undefined, 500)).toMatchObject({ kind: 'retryable', reason: 'temporary' });
  });

  it('retries an unknown code only when Graph flags it transient, and quotes Meta otherwise', () => {
    const transient = classifyGraphFailure({
      httpStatus: 400,
      body: { error: { message: 'Try later', code: 12345, is_transient: true } },
      requestSent: true,
    });
    expect(transient.kind).toBe('retryable');
    const unknown = classifyGraphFailure({
      httpStatus: 400,
      body: {
        error: { message: 'Something odd', code: 12345, error_user_msg: 'Please check the thing' },
      },
      requestSent: true,
    });
    expect(unknown).toMatchObject({ kind: 'permanent', reason: 'unknown', appCode: 'GRAPH_ERROR' });
    expect(unknown.explanation.text).toContain('12345');
    expect(unknown.explanation.text).toContain('Please check the thing');
  });
});

describe('classifyGraphFailure: retry hints (docs/platform.md#usage-headers)', () => {
  const now = Date.parse('2026-03-18T14:05:00Z');

  it('waits for the later of Retry-After and the BUC estimate on a rate limit', () => {
    const headers = new Headers({
      'Retry-After': '30',
      'X-Business-Use-Case-Usage':
        '{"17841405309211844":[{"type":"instagram","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":5}]}',
    });
    const failure = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(80002),
      requestSent: true,
      headers,
      nowMs: now,
    });
    expect(failure.retryAfterMs).toBe(5 * 60_000);
  });

  it('honours Retry-After alone, as seconds or as a date', () => {
    const seconds = classifyGraphFailure({
      httpStatus: 429,
      body: '',
      requestSent: true,
      headers: new Headers({ 'Retry-After': '12' }),
      nowMs: now,
    });
    expect(seconds).toMatchObject({
      kind: 'retryable',
      reason: 'rate-limited',
      appCode: 'RATE_LIMITED',
      retryAfterMs: 12_000,
    });
    const date = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(4),
      requestSent: true,
      headers: new Headers({ 'Retry-After': 'Wed, 18 Mar 2026 14:07:00 GMT' }),
      nowMs: now,
    });
    expect(date.retryAfterMs).toBe(120_000);
  });

  it('ignores malformed hints and gives none where waiting cannot help', () => {
    const malformed = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(613),
      requestSent: true,
      headers: new Headers({ 'Retry-After': 'later', 'X-Business-Use-Case-Usage': '{oops' }),
      nowMs: now,
    });
    expect(malformed.retryAfterMs).toBeNull();
    const permanent = classifyGraphFailure({
      httpStatus: 400,
      body: graphBody(10, 2534022),
      requestSent: true,
      headers: new Headers({ 'Retry-After': '30' }),
      nowMs: now,
    });
    expect(permanent.retryAfterMs).toBeNull();
  });

  it('takes fbtrace_id from the x-fb-trace-id header when the body has none', () => {
    const failure = classifyGraphFailure({
      httpStatus: 502,
      body: '<html>Bad gateway</html>',
      requestSent: true,
      headers: new Headers({ 'x-fb-trace-id': 'HdrTrace1' }),
    });
    expect(failure.fbtraceId).toBe('HdrTrace1');
  });
});

describe('classifyGraphFailure: no code to go by', () => {
  it('refuses HUMAN_AGENT without App Review: HTTP 403 with no code (docs/platform.md#reply-windows)', () => {
    const body = {
      error: {
        message:
          "To use 'Human Agent', your use of this endpoint must be reviewed and approved by Facebook.",
        type: 'IGApiException',
      },
    };
    const failure = classifyGraphFailure({
      httpStatus: 403,
      body,
      requestSent: true,
      isHumanAgentSend: true,
    });
    expect(failure).toMatchObject({
      kind: 'permanent',
      reason: 'human-agent-not-approved',
      appCode: 'GRAPH_ERROR',
      graphCode: null,
    });
    expect(failure.explanation.text).toMatch(/App Review/);
    // The same 403 on a request without the tag is a plain permission problem.
    expect(classifyGraphFailure({ httpStatus: 403, body, requestSent: true }).reason).toBe(
      'permission-missing',
    );
  });

  it.each([
    [500, ''],
    [502, '<html><body>502 Bad Gateway</body></html>'],
    [503, null],
  ])(
    'HTTP %i without a Graph body: outcome unknown, safe to repeat only for reads',
    (status, body) => {
      const failure = classifyGraphFailure({ httpStatus: status, body, requestSent: true });
      expect(failure).toMatchObject({
        kind: 'outcome-unknown',
        requestSent: true,
        appCode: 'GRAPH_ERROR',
      });
      expect(isSafeToRetry(failure, true)).toBe(true);
      expect(isSafeToRetry(failure, false)).toBe(false);
    },
  );

  it('treats a 2xx that could not be read as outcome unknown', () => {
    expect(
      classifyGraphFailure({ httpStatus: 200, body: '{"recipient_id":', requestSent: true }),
    ).toMatchObject({
      kind: 'outcome-unknown',
      reason: 'unexpected-response',
    });
  });

  it.each([
    [400, 'Bad request', 'permanent', 'unknown'],
    [404, '<html>Not found</html>', 'permanent', 'unknown'],
    [401, '', 'reauth', 'token-invalid'],
    [429, 'slow down', 'retryable', 'rate-limited'],
  ] as const)('HTTP %i with a non-JSON body', (status, body, kind, reason) => {
    const failure = classifyGraphFailure({ httpStatus: status, body, requestSent: true });
    expect(failure).toMatchObject({ kind, reason, graphCode: null });
    expect(failure.explanation.text).not.toContain('<html>');
  });

  it('network error before the request left: retryable', () => {
    const failure = classifyGraphFailure({
      httpStatus: null,
      body: null,
      networkError: new TypeError('fetch failed'),
      requestSent: false,
    });
    expect(failure).toMatchObject({
      kind: 'retryable',
      reason: 'network-unreachable',
      requestSent: false,
    });
    expect(isSafeToRetry(failure, false)).toBe(true);
  });

  it('timeout after the request left: outcome unknown, never blindly repeated for a send', () => {
    const failure = classifyGraphFailure({
      httpStatus: null,
      body: null,
      networkError: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      requestSent: true,
    });
    expect(failure).toMatchObject({
      kind: 'outcome-unknown',
      reason: 'no-answer',
      requestSent: true,
    });
    expect(isSafeToRetry(failure, false)).toBe(false);
  });

  it('reads the flat OAuth error shape of api.instagram.com (docs/platform.md#token-exchange, docs/platform.md#error-envelopes)', () => {
    const body = parseJsonPreservingIds(
      '{"error_type":"OAuthException","code":400,"error_message":"Matching code was not found or was already used"}',
    );
    const failure = classifyGraphFailure({ httpStatus: 400, body, requestSent: true });
    expect(failure).toMatchObject({
      kind: 'reauth',
      reason: 'login-refused',
      appCode: 'NOT_CONNECTED',
      graphCode: 400,
    });
    expect(failure.explanation.text).toContain('Matching code was not found or was already used');
  });
});

describe('GraphError', () => {
  it('is an AppError whose code and message come from the classification', () => {
    const failure = classify(10, 2534022);
    const error = new GraphError(failure, { operation: 'sendMessage', isIdempotent: false });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      name: 'GraphError',
      code: 'OUTSIDE_WINDOW',
      message: failure.explanation.text,
      failure,
    });
    expect(error.isRetryable).toBe(false);
  });

  it('is retryable for reads with an unknown outcome, not for sends', () => {
    const failure = classifyGraphFailure({ httpStatus: 504, body: '', requestSent: true });
    expect(new GraphError(failure, { operation: 'getMe', isIdempotent: true }).isRetryable).toBe(
      true,
    );
    expect(
      new GraphError(failure, { operation: 'sendMessage', isIdempotent: false }).isRetryable,
    ).toBe(false);
    expect(
      new GraphError(classify(4), { operation: 'sendMessage', isIdempotent: false }).isRetryable,
    ).toBe(true);
  });
});
