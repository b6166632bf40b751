/**
 * Every webhook field a feature of Inlet reads (docs/platform.md#subscriptions): the fields the
 * owner ticks in Meta's dashboard (layer 2, shown by the guided setup) and the fields Inlet
 * subscribes each account to (layer 3). Without `comments`/`live_comments` the Comments view stays
 * empty although the permission was granted.
 */
export const INBOX_WEBHOOK_FIELDS = [
  'messages',
  'message_reactions',
  'messaging_seen',
  'messaging_postbacks',
  'messaging_referral',
  'message_edit',
  'comments',
  'live_comments',
] as const;
