import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` against the raw body bytes (docs/platform.md#signatures). Several
 * secrets may be tried because Meta's docs conflict on whether the Meta app secret or the Instagram
 * app secret signs Instagram webhooks; returns the index of the secret that matched, or -1.
 */
export function matchSignature(
  body: Uint8Array,
  header: string | undefined,
  secrets: readonly string[],
): number {
  const match = header === undefined ? null : SIGNATURE_FORMAT.exec(header.trim());
  if (!match?.[1]) return -1;
  const received = Buffer.from(match[1].toLowerCase(), 'hex');
  return secrets.findIndex((secret) => {
    if (secret === '') return false;
    const expected = createHmac('sha256', secret).update(body).digest();
    // Lengths are equal by construction (64 hex chars); the check keeps timingSafeEqual from
    // throwing.
    return expected.length === received.length && timingSafeEqual(expected, received);
  });
}

export function signBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
