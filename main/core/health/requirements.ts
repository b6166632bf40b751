import { INBOX_WEBHOOK_FIELDS } from '../auth/oauth-flow';

/**
 * What Instagram must grant and deliver for every Inlet feature to work: the one list that the
 * subscription at connect and start installs, the emulator enforces and the health checks compare
 * against (docs/platform.md#subscriptions, #oauth). The messaging fields are the inbox's; the
 * Comments view and private replies need `comments` (and `live_comments` for live videos).
 */
export const REQUIRED_WEBHOOK_FIELDS = [
  ...INBOX_WEBHOOK_FIELDS,
  'comments',
  'live_comments',
] as const;

export const REQUIRED_PERMISSIONS = [
  'instagram_business_basic',
  'instagram_business_manage_messages',
  'instagram_business_manage_comments',
] as const;
