import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Message } from '../../../shared/domain/schemas';
import {
  ARCHIVED_MEDIA_PATH,
  STORY_IDX,
  type ArchivedFile,
  type MediaStore,
  type PendingMedia,
  type StoredMedia,
} from '../archive/media-store';
import type { Clock, Fetch, Logger } from '../ports';

/**
 * Attachment kinds whose URL is the media itself (docs/platform.md#messages-field); shares link to
 * Instagram.
 */
const DOWNLOADABLE = new Set(['image', 'video', 'audio', 'file']);

/**
 * Content types Inlet keeps, with the extension of the archived file. Anything else (HTML error
 * pages, scripts, SVG that could carry script) is refused: the file is served same-origin.
 */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'application/pdf': 'pdf',
};

/**
 * Instagram's own limits are 8 MB images and 25 MB video/audio/files
 * (docs/platform.md#text-limits).
 */
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
/**
 * Profile pictures are small (Instagram serves them at most 1080 px square, a few hundred KB):
 * anything far larger is not a picture worth a 40 px avatar.
 */
export const PICTURE_MAX_BYTES = 2 * 1024 * 1024;
/** A profile picture is shown by an `<img>`: only the image types of MEDIA_TYPES are kept. */
const PICTURE_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MEDIA_TYPES).filter(([type]) => type.startsWith('image/')),
);
const DEFAULT_TIMEOUT_MS = 60_000;
const CONCURRENCY = 2;

export type MediaArchiverDeps = {
  store: MediaStore;
  /** Where files are written; created on first use. */
  dir: string;
  fetch: Fetch;
  clock: Clock;
  logger: Logger;
  /** Told when a message's attachment was archived, so the open thread can switch to the copy. */
  onArchived: (messageId: string) => void;
  maxBytes?: number;
  pictureMaxBytes?: number;
  timeoutMs?: number;
};

class Refused extends Error {}

/**
 * Downloads the media of received messages into the data folder, in the background (after the
 * webhook ack) and a few at a time. A link that no longer works (expired CDN signature), a
 * disallowed type or an oversized file is recorded as failed with the reason; the message keeps
 * the original URL. Pending downloads survive a restart (`resume`).
 */
export class MediaArchiver {
  readonly #deps: MediaArchiverDeps;
  readonly #queue: PendingMedia[] = [];
  readonly #queued = new Set<string>();
  #active = 0;
  #stopped = false;
  readonly #abort = new AbortController();
  readonly #waiters: (() => void)[] = [];

  constructor(deps: MediaArchiverDeps) {
    this.#deps = deps;
  }

  /** Records and starts the downloads of a newly archived message's attachments. */
  archive(message: Message): void {
    this.archiveAll([message]);
  }

  /**
   * As `archive`, for the messages of a batch of deliveries: recorded in one transaction (one per
   * message was 7% of processing a burst in which every fourth message has a picture).
   */
  archiveAll(messages: readonly Message[]): void {
    const items = messages.flatMap(downloadsOf);
    if (items.length === 0) return;
    this.#deps.store.enqueue(items, this.#deps.clock.now());
    this.#startPending(items);
  }

  /** Starts the downloads of messages whose media processing recorded with them. */
  downloadRecorded(messages: readonly Message[]): void {
    this.#startPending(messages.flatMap(downloadsOf));
  }

  #startPending(items: readonly PendingMedia[]): void {
    // Only what is still pending: a redelivered message whose media is already stored is skipped.
    const pending = new Set(items.map((item) => key(item)));
    for (const messageId of new Set(items.map((item) => item.messageId))) {
      for (const item of this.#deps.store.pendingOf(messageId)) {
        if (pending.has(key(item))) this.#push(item);
      }
    }
  }

  /**
   * Keeps the archive's own copy of a file the owner sent, so the thread shows the picture from
   * disk (the served URL is for Meta and expires). Kinds the archive does not keep are skipped.
   */
  async keepSent(item: PendingMedia, bytes: Uint8Array, mimeType: string): Promise<void> {
    const contentType = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
    const extension = MEDIA_TYPES[contentType];
    if (extension === undefined) return;
    await mkdir(this.#deps.dir, { recursive: true, mode: 0o700 });
    const file = `${randomUUID()}.${extension}`;
    await writeFile(join(this.#deps.dir, file), bytes, { mode: 0o600 });
    const stored = { file, contentType, size: bytes.byteLength };
    this.#deps.store.recordStored(item, stored, this.#deps.clock.now());
  }

  /**
   * Keeps a copy of a customer's or account's profile picture (`ownerId`: see
   * MediaStore.profilePicture), since Instagram's link expires within days
   * (docs/platform.md#user-profile). Downloads only a link it holds no copy of, replacing the older
   * copy; a link that fails is recorded and the older copy stays. Resolves true when a new copy
   * was stored.
   */
  async keepPicture(ownerId: string, url: string | null): Promise<boolean> {
    const { store, clock, logger } = this.#deps;
    if (!isHttpUrl(url)) return false;
    const known = store.profilePicture(ownerId);
    if (known?.url === url && known.file !== null && known.error === null) return false;
    try {
      const stored = await this.#fetchToFile(url, {
        types: PICTURE_TYPES,
        maxBytes: this.#deps.pictureMaxBytes ?? PICTURE_MAX_BYTES,
      });
      const replaced = store.storePicture(ownerId, url, stored, clock.now());
      if (replaced !== null) await rm(join(this.#deps.dir, replaced), { force: true });
      return true;
    } catch (error) {
      if (this.#stopped) return false;
      const reason = reasonOf(error);
      logger.warn('profile picture not archived; initials are shown instead', { reason });
      store.pictureFailed(ownerId, url, reason, clock.now());
      return false;
    }
  }

  /**
   * The renderer's URL of the profile picture kept for `ownerId`, or null when none is. Null once
   * stopped too: the account list is still read while Inlet shuts down, after the store closed.
   */
  pictureUrl(ownerId: string): string | null {
    if (this.#stopped) return null;
    const file = this.#deps.store.profilePicture(ownerId)?.file ?? null;
    return file === null ? null : `${ARCHIVED_MEDIA_PATH}${file}`;
  }

  /** The archived file a renderer URL names, or null when this archive recorded no such file. */
  file(name: string): ArchivedFile | null {
    const found = this.#deps.store.findFile(name);
    return found
      ? { path: join(this.#deps.dir, found.file), contentType: found.contentType }
      : null;
  }

  /** Picks up downloads a previous run did not finish or did not get to record. */
  resume(): void {
    try {
      this.#deps.store.enqueueMissing([...DOWNLOADABLE], this.#deps.clock.now());
    } catch (error) {
      // Never a reason not to start: the media of those messages keeps its original links.
      this.#deps.logger.warn('could not look for unarchived media', { error: String(error) });
    }
    for (const item of this.#deps.store.pending()) this.#push(item);
  }

  /** Resolves when nothing is queued or downloading. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Cancels what is in flight and starts nothing new; all of it stays pending for the next run. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#queued.clear();
    this.#abort.abort();
    await this.idle();
  }

  #push(item: PendingMedia): void {
    if (this.#stopped || this.#queued.has(key(item))) return;
    this.#queued.add(key(item));
    this.#queue.push(item);
    this.#pump();
  }

  #pump(): void {
    while (this.#active < CONCURRENCY && this.#queue.length > 0) {
      const item = this.#queue.shift();
      if (!item) break;
      this.#active += 1;
      void this.#download(item).finally(() => {
        this.#active -= 1;
        this.#queued.delete(key(item));
        this.#pump();
        if (this.#active === 0 && this.#queue.length === 0) {
          for (const resolve of this.#waiters.splice(0)) resolve();
        }
      });
    }
  }

  async #download(item: PendingMedia): Promise<void> {
    const { store, clock, logger } = this.#deps;
    try {
      const stored = await this.#fetchToFile(item.url, {
        types: MEDIA_TYPES,
        maxBytes: this.#deps.maxBytes ?? DEFAULT_MAX_BYTES,
      });
      await store.markStored(item, stored, clock.now());
      this.#deps.onArchived(item.messageId);
    } catch (error) {
      // Cancelled by stop(): not the link's fault, so it stays pending and resumes next start.
      if (this.#stopped) return;
      const reason = reasonOf(error);
      logger.warn('attachment not archived; the original link is kept', {
        messageId: item.messageId,
        reason,
      });
      try {
        await store.markFailed(item, reason, clock.now());
      } catch (storeError) {
        // The archive closed under us (shutdown): the item stays pending for the next run.
        logger.warn('could not record the failed download', { error: String(storeError) });
      }
    }
  }

  /** Downloads `url` if its content type is one of `types` and it is no larger than `maxBytes`. */
  async #fetchToFile(
    url: string,
    { types, maxBytes }: { types: Readonly<Record<string, string>>; maxBytes: number },
  ): Promise<StoredMedia> {
    const response = await this.#deps.fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.any([
        this.#abort.signal,
        AbortSignal.timeout(this.#deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      ]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      // Instagram's lookaside CDN answers 403/404 once a signed link has expired
      // (docs/platform.md#messages-field).
      throw new Refused(
        response.status === 403 || response.status === 404 || response.status === 410
          ? `the link no longer works (HTTP ${response.status}; Instagram's media links expire)`
          : `the media server answered HTTP ${response.status}`,
      );
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const mimeType = contentType.trim().toLowerCase();
    const extension = Object.hasOwn(types, mimeType) ? types[mimeType] : undefined;
    if (extension === undefined) {
      await response.body?.cancel();
      throw new Refused(`the content type "${mimeType}" is not kept`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new Refused(`the file is larger than ${maxBytes} bytes (${declared})`);
    }
    if (!response.body) throw new Refused('the media server sent no body');

    await mkdir(this.#deps.dir, { recursive: true, mode: 0o700 });
    const file = `${randomUUID()}.${extension}`;
    const finalPath = join(this.#deps.dir, file);
    const partPath = `${finalPath}.part`;
    const handle = await open(partPath, 'wx', 0o600);
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        // A missing or lying Content-Length must not let a file grow without bound.
        if (size > maxBytes) throw new Refused(`the file is larger than ${maxBytes} bytes`);
        await handle.write(value);
      }
      await handle.sync();
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      await handle.close();
      await rm(partPath, { force: true });
      throw error;
    }
    await handle.close();
    // Written under a temporary name and renamed: a crash never leaves a half file behind a URL.
    await rename(partPath, finalPath);
    return { file, contentType: mimeType, size };
  }
}

/** Why a download was not kept, for the log and the media row. */
function reasonOf(error: unknown): string {
  return error instanceof Refused
    ? error.message
    : `the download failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** The attachments (and story) of a message that Inlet keeps its own copy of. */
export function downloadsOf(message: Message): PendingMedia[] {
  const items = message.attachments.flatMap((attachment, idx) =>
    DOWNLOADABLE.has(attachment.type) && isHttpUrl(attachment.url)
      ? [{ messageId: message.id, idx, url: attachment.url }]
      : [],
  );
  const storyUrl = message.story?.url ?? null;
  if (isHttpUrl(storyUrl)) items.push({ messageId: message.id, idx: STORY_IDX, url: storyUrl });
  return items;
}

function key(item: PendingMedia): string {
  return `${item.messageId}#${item.idx}`;
}

function isHttpUrl(url: string | null): url is string {
  if (url === null) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
