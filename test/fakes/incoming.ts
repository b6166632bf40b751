import type { IncomingMessage } from '../../main/core/archive/archive';

/**
 * What a customer's plain message carries in every other field: no quote, story, context or
 * delivery. Archive-level tests spread it, so a new IncomingMessage field is added here once.
 */
export const PLAIN_INCOMING_DETAILS = {
  direction: 'in',
  attachments: [],
  isStandby: false,
  replyToMid: null,
  story: null,
  isUnsupported: false,
  context: null,
  isContextOnly: false,
  isFromOtherApp: false,
  deliveryId: null,
} as const satisfies Partial<IncomingMessage>;
