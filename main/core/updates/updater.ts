import { z } from 'zod';
import type { UpdateProblem, UpdateState } from '../../../shared/ipc/updates-contract';

/**
 * What the core needs from an updater (electron-updater in the desktop shell). It only fetches,
 * verifies and installs: when any of that happens is the core's decision (UpdatePolicy).
 */
export interface Updater {
  readonly currentVersion: string;
  /** Why this copy cannot update itself, or null when it can. */
  readonly unsupported: Exclude<UpdateState['unsupported'], 'headless'>;
  /** The releases page of the feed this copy updates from, or null when it has none. */
  readonly releasesUrl: string | null;
  /**
   * Asks the release feed. Resolves with the feed's description of a newer release (untrusted:
   * the core validates it), or null when this version is the newest.
   */
  check(options: { allowPrerelease: boolean }): Promise<unknown>;
  /** Downloads the update found by the last check and verifies it; a bad file is discarded. */
  download(): Promise<void>;
  /** Replaces the app with the downloaded update and relaunches it. The core is already stopped. */
  install(): void;
}

const NOTES_LIMIT = 4000;

/**
 * The GitHub releases page named by electron-builder's `app-update.yml` (the feed the packaged app
 * updates from), or null when the file names no plausible GitHub owner and repository.
 */
export function releasesUrlOf(appUpdateYml: string): string | null {
  const field = (name: string) =>
    new RegExp(`^${name}:\\s*['"]?([A-Za-z0-9_.-]+)['"]?\\s*$`, 'm').exec(appUpdateYml)?.[1];
  const provider = field('provider');
  const owner = field('owner');
  const repo = field('repo');
  if (provider !== 'github' || owner === undefined || repo === undefined) return null;
  return `https://github.com/${owner}/${repo}/releases`;
}

/** The part of the feed the core relies on; anything else in it is ignored. */
const ReleaseSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/),
  releaseNotes: z
    .union([
      z.string(),
      z.array(z.object({ version: z.string(), note: z.string().nullable() })),
      z.null(),
    ])
    .optional(),
});

export class BadFeedError extends Error {}

/** A newer release as the owner sees it, or BadFeedError when the feed answered garbage. */
export function parseRelease(raw: unknown): { version: string; notes: string } {
  const parsed = ReleaseSchema.safeParse(raw);
  if (!parsed.success)
    throw new BadFeedError(`unusable update feed: ${z.prettifyError(parsed.error)}`);
  const { version, releaseNotes } = parsed.data;
  const notes = Array.isArray(releaseNotes)
    ? releaseNotes.map((entry) => `${entry.version}\n${entry.note ?? ''}`).join('\n\n')
    : (releaseNotes ?? '');
  return { version, notes: plainText(notes).slice(0, NOTES_LIMIT) };
}

/** GitHub hands release notes over as HTML; the owner sees them as plain text, never as markup. */
function plainText(html: string): string {
  return html
    .replace(/<\s*(br|\/p|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<\s*li[^>]*>/gi, '• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Sorts an updater failure into what the owner is told; the full error goes to the log. */
export function classifyUpdateError(error: unknown): UpdateProblem {
  if (error instanceof BadFeedError) return 'bad-feed';
  const code = (error as { code?: unknown } | null)?.code;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (/rate limit/i.test(message) || status === 429) return 'rate-limited';
  if (
    typeof code === 'string' &&
    /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)$/.test(code)
  ) {
    return 'offline';
  }
  if (
    /net::ERR_(INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NETWORK_CHANGED|CONNECTION|TIMED_OUT)/.test(
      message,
    )
  ) {
    return 'offline';
  }
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE' || /code signature|not signed/i.test(message)) {
    return 'bad-signature';
  }
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(message)) {
    return 'download-failed';
  }
  if (
    typeof code === 'string' &&
    /^ERR_UPDATER_(INVALID_UPDATE_INFO|INVALID_RELEASE_FEED|LATEST_VERSION_NOT_FOUND|CHANNEL_FILE_NOT_FOUND|NO_PUBLISHED_VERSIONS|INVALID_VERSION)$/.test(
      code,
    )
  ) {
    return 'bad-feed';
  }
  return 'unknown';
}
