import type { AppStatus } from '../../shared/domain/schemas';
import type { Account } from '../../shared/domain/schemas';
import type { InletConfig } from './config';
import type { PublicAddress } from './webhook/public-address';
import { WEBHOOK_PATH } from './webhook/webhook-server';

/** What a running core reports to the rail, banners and Settings; null while it is not running. */
export type RunningStatus = {
  config: Pick<InletConfig, 'mode' | 'verifyToken' | 'sandboxReason'>;
  accounts: { list(): Account[] };
  webhook: { readonly url: string | null };
  inbox: { readonly lastEventAt: number | null };
} | null;

export type StatusSources = {
  running: RunningStatus;
  publicAddress: Pick<PublicAddress, 'url' | 'status'>;
  diskFull: { readonly full: boolean };
};

/**
 * Inlet's state as the renderer shows it (the rail, the banners, Settings → Connection). A stopped
 * core reads as sandbox mode with nothing connected; the tunnel and the disk are watched across
 * restarts of the core, so they always say what they know. Meta is given the public URL with the
 * webhook path, ready to paste.
 */
export function appStatus({ running, publicAddress, diskFull }: StatusSources): AppStatus {
  return {
    mode: running?.config.mode ?? 'sandbox',
    sandboxReason: running?.config.sandboxReason ?? null,
    accounts: running?.accounts.list() ?? [],
    webhookUrl: running?.webhook.url ?? null,
    publicWebhookUrl: publicAddress.url === null ? null : `${publicAddress.url}${WEBHOOK_PATH}`,
    tunnel: publicAddress.status,
    verifyToken: running?.config.verifyToken ?? null,
    lastEventAt: running?.inbox.lastEventAt ?? null,
    diskFull: diskFull.full,
  };
}

/**
 * Calls `publish` once per turn of the event loop however often it is asked: every delivery moves
 * `lastEventAt`, and a burst of them should publish the status once, not once per delivery.
 */
export function oncePerTurn(publish: () => void): () => void {
  let isQueued = false;
  return () => {
    if (isQueued) return;
    isQueued = true;
    setImmediate(() => {
      isQueued = false;
      publish();
    });
  };
}
