import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchSignature, signBody } from '../../../../../main/core/webhook/signature';
import { textMessageBody } from '../../../../fakes/webhook-bodies';

const body = Buffer.from(textMessageBody({ mid: 'm1', text: 'Olá ✨ https://x.test/a' }));
const sign = (bytes: Uint8Array, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

describe('matchSignature', () => {
  it('accepts an HMAC-SHA256 of the exact bytes', () => {
    expect(matchSignature(body, sign(body, 'ig-secret'), ['ig-secret'])).toBe(0);
  });

  it('tells which of several secrets matched (Meta vs Instagram app secret, docs/platform.md#signatures)', () => {
    expect(matchSignature(body, sign(body, 'meta-secret'), ['ig-secret', 'meta-secret'])).toBe(1);
  });

  it('accepts uppercase hex', () => {
    expect(
      matchSignature(body, sign(body, 's').toUpperCase().replace('SHA256=', 'sha256='), ['s']),
    ).toBe(0);
  });

  it('refuses a signature over re-serialised JSON instead of the raw bytes', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(reserialised.equals(body)).toBe(false);
    expect(matchSignature(body, sign(reserialised, 's'), ['s'])).toBe(-1);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['sha1 only', `sha1=${createHmac('sha1', 's').update(body).digest('hex')}`],
    ['truncated', sign(body, 's').slice(0, 40)],
    ['too long', `${sign(body, 's')}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['wrong secret', sign(body, 'other')],
  ])('refuses a %s signature without throwing', (_name, header) => {
    expect(matchSignature(body, header, ['s'])).toBe(-1);
  });

  it('refuses everything when no secret is configured, even an HMAC keyed with ""', () => {
    expect(matchSignature(body, sign(body, ''), [''])).toBe(-1);
    expect(matchSignature(body, sign(body, 's'), [])).toBe(-1);
  });

  it('signBody produces what matchSignature accepts', () => {
    expect(matchSignature(body, signBody(body, 'k'), ['k'])).toBe(0);
  });
});
