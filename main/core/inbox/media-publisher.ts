import { sendFailure } from '../../../shared/domain/failure-reason';
import type { AttachmentPublisher } from './graph-sender';
import type { OutgoingMedia } from './outgoing-media';

const MEDIA_NEEDS_TUNNEL =
  'Attachments need the public address (tunnel) to be online, so Instagram can fetch the file. Retry once it is.';

export type MediaPublisherDeps = {
  media: Pick<OutgoingMedia, 'publish'>;
  /** The tunnel's public https origin, null while it is not online. */
  publicOrigin: () => string | null;
  /**
   * Sandbox mode only: the local listener's port, null while it is not listening. The sandbox's
   * Instagram runs on this machine and fetches from it directly; a real one can only come
   * through the tunnel.
   */
  localPort?: () => number | null;
};

/** Serves an attached file at an expiring URL under the origin Instagram can reach. */
export function mediaPublisher(deps: MediaPublisherDeps): AttachmentPublisher {
  return {
    async publish(path) {
      const port = deps.localPort?.() ?? null;
      const origin = deps.publicOrigin() ?? (port ? `http://127.0.0.1:${port}` : null);
      if (origin === null)
        return { ok: false, reason: sendFailure(MEDIA_NEEDS_TUNNEL, 'mediaNeedsTunnel') };
      if (!(await deps.media.publish(path)))
        return {
          ok: false,
          reason: sendFailure('The attached file is no longer on this computer.', 'mediaMissing'),
        };
      return { ok: true, url: `${origin}${path}` };
    },
  };
}
