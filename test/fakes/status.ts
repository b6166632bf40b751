import type { AppStatus } from '../../shared/domain/schemas';

/**
 * What `app:getStatus` answers for a freshly started sandbox: no account, no tunnel, no event yet.
 * Tests override only the fields they look at.
 */
export function appStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    mode: 'sandbox',
    sandboxReason: null,
    accounts: [],
    webhookUrl: 'http://127.0.0.1:4100/webhook',
    publicWebhookUrl: null,
    tunnel: { state: 'off', error: null, retryAt: null },
    verifyToken: null,
    lastEventAt: null,
    diskFull: false,
    ...overrides,
  };
}
