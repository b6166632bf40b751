import { createHmac } from 'node:crypto';

/**
 * `X-Hub-Signature-256` value for a webhook body (docs/platform.md#signatures): HMAC-SHA256 of the
 * exact bytes sent, keyed with the app secret, as `sha256=<64 lowercase hex>`. Written here with
 * node:crypto on purpose: the emulator must not share code with the verifier it tests.
 */
export function signBody(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
