import type { IncomingMessage } from '../../main/core/archive/inbound-store';
import { CUSTOMER_ID, IG_ID } from './webhook-bodies';

/**
 * What the webhook parser reads from a customer's plain message besides its ids, text and time:
 * no attachment, quote, story or context. Parser tests spread it.
 */
export const PLAIN_PARSED_DETAILS = {
  direction: 'in',
  attachments: [],
  isStandby: false,
  replyToMid: null,
  story: null,
  isUnsupported: false,
  context: null,
  isContextOnly: false,
} as const satisfies Partial<IncomingMessage>;

/**
 * What a customer's plain message carries in every other field: no quote, story, context or
 * delivery. Archive-level tests spread it, so a new IncomingMessage field is added here once.
 */
export const PLAIN_INCOMING_DETAILS = {
  ...PLAIN_PARSED_DETAILS,
  isFromOtherApp: false,
  deliveryId: null,
} as const satisfies Partial<IncomingMessage>;

/** A text message from the fixture customer to the fixture account, its text its own mid. */
export function incomingText(
  mid: string,
  at: number,
  fields: Partial<IncomingMessage> = {},
): IncomingMessage {
  return {
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid,
    ...PLAIN_INCOMING_DETAILS,
    text: mid,
    at,
    ...fields,
  };
}
