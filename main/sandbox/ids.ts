import { randomBytes, randomInt } from 'node:crypto';

/** Random decimal digits; Instagram ids are numeric strings (docs/platform.md#ids). */
function digits(count: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < count) out += String(randomInt(0, 10));
  return out;
}

/** Professional account id (`IG_ID`): 17 digits starting 1784 in practice. */
export function newIgUserId(): string {
  return `1784${digits(13)}`;
}

/**
 * App-scoped id of an account (`/me` `id`, token-exchange `user_id`): 17 digits, always above
 * 2^53 so that clients parsing it as a JSON number lose precision, as they would in production.
 */
export function newAppScopedId(): string {
  return `${randomInt(2, 4)}${digits(16)}`;
}

/** Customer IGSID: 16 digits. */
export function newIgsid(): string {
  return digits(16);
}

/** Comment and media ids are 17-digit numbers starting with 17 or 18. */
export function newObjectId(prefix: '17' | '18'): string {
  return `${prefix}${digits(15)}`;
}

/** Instagram Login user tokens start with IGAA (docs/platform.md#tokens). */
export function newAccessToken(): string {
  return `IGAA${randomBytes(60).toString('base64url')}`;
}

export function newAuthorizationCode(): string {
  return `AQ${randomBytes(48).toString('base64url')}`;
}

/** Message ids are opaque base64 strings that start `aWdf` ("ig_"); clients must not parse them. */
export function newMid(accountId: string): string {
  return encodeMid(`ig_item:1:IGMessage:${accountId}:${randomBytes(12).toString('hex')}`);
}

export function encodeMid(seed: string): string {
  return Buffer.from(seed).toString('base64url');
}

export function conversationIdFor(accountId: string, igsid: string): string {
  return Buffer.from(`ig_thread:${accountId}:${igsid}`).toString('base64url');
}

export function newFbtraceId(): string {
  return randomBytes(8).toString('base64url');
}
