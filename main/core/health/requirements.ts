/**
 * What Instagram must grant and deliver for every Inlet feature to work: the one list that the
 * login asks for, the subscription at connect and start installs, the emulator enforces and the
 * health checks compare against (docs/platform.md#subscriptions, #oauth).
 */
export const REQUIRED_WEBHOOK_FIELDS = [
  'messages',
  'message_reactions',
  'messaging_seen',
  'messaging_postbacks',
  'messaging_referral',
  'message_edit',
  // The Comments view and private replies.
  'comments',
  'live_comments',
] as const;

export const REQUIRED_PERMISSIONS = [
  'instagram_business_basic',
  'instagram_business_manage_messages',
  'instagram_business_manage_comments',
] as const;
