import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { openRegularFile, sendOpenedFile } from '../http/guarded-server';
import type { PublicRouteHandler } from '../webhook/webhook-server';
import type { Clock, Logger } from '../ports';

/** Where attachments are served under the public (tunnel) origin; Meta fetches them from there. */
export const MEDIA_PATH = '/media/out/';
/**
 * How long a served URL works after a send (or retry) publishes it. Meta fetches the file while
 * the Send API request is open (docs/platform.md#text-limits), so minutes are plenty; afterwards
 * the URL is a 404.
 */
export const MEDIA_URL_TTL_MS = 15 * 60 * 1000;
/** Files whose URL expired this long ago belong to messages long sent or deleted. */
const PRUNE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** 32 random bytes in base64url: unguessable, and a safe file name. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const SidecarSchema = z.object({
  mimeType: z.string(),
  fileName: z.string(),
  /** Null until a send publishes the URL: a queued message keeps its file unpublished. */
  expiresAt: z.number().nullable(),
});
type Sidecar = z.infer<typeof SidecarSchema>;

/**
 * Files the owner attached, kept on disk (so a queued attachment survives a restart) and served
 * at `MEDIA_PATH<token>` only while published. Unknown, malformed or expired tokens are a 404.
 */
export class OutgoingMedia {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: { dir: string; clock: Clock; logger: Logger }) {
    this.#dir = options.dir;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** Keeps the bytes under a new token; returns the path (under the public origin) it will use. */
  async store(bytes: Uint8Array, mimeType: string, fileName: string): Promise<string> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('base64url');
    await writeFile(this.#file(token), bytes, { mode: 0o600 });
    await this.#writeSidecar(token, { mimeType, fileName, expiresAt: null });
    return `${MEDIA_PATH}${token}`;
  }

  /** Makes the file fetchable for `MEDIA_URL_TTL_MS` from now; false when it is gone. */
  async publish(path: string): Promise<boolean> {
    const token = tokenOf(path);
    const sidecar = token === null ? null : await this.#readSidecar(token);
    if (token === null || sidecar === null) return false;
    await this.#writeSidecar(token, {
      ...sidecar,
      expiresAt: this.#clock.now() + MEDIA_URL_TTL_MS,
    });
    return true;
  }

  /** Deletes files whose URL expired long ago (their message went out, or was deleted). */
  async prune(): Promise<void> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const token = name.slice(0, -'.json'.length);
      const sidecar = await this.#readSidecar(token);
      if (sidecar?.expiresAt != null && sidecar.expiresAt + PRUNE_AFTER_MS < this.#clock.now()) {
        await rm(this.#file(token), { force: true });
        await rm(join(this.#dir, name), { force: true });
      }
    }
  }

  readonly handler: PublicRouteHandler = async (request, response, url) => {
    const token = tokenOf(url.pathname);
    const sidecar = token === null ? null : await this.#readSidecar(token);
    const isServable =
      (request.method === 'GET' || request.method === 'HEAD') &&
      token !== null &&
      sidecar !== null &&
      sidecar.expiresAt !== null &&
      sidecar.expiresAt >= this.#clock.now();
    // Opened, not just looked up: a file removed since is already a 404, not a crash mid-stream.
    const file = isServable ? await openRegularFile(this.#file(token)) : null;
    if (file === null || sidecar === null) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    this.#logger.info('attachment fetched', { size: file.size });
    response.writeHead(200, {
      'Content-Type': sidecar.mimeType,
      'Content-Length': file.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    await sendOpenedFile(file, request, response, this.#logger);
  };

  #file(token: string): string {
    return join(this.#dir, token);
  }

  async #readSidecar(token: string): Promise<Sidecar | null> {
    try {
      const raw = await readFile(join(this.#dir, `${token}.json`), 'utf8');
      const parsed = SidecarSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async #writeSidecar(token: string, sidecar: Sidecar): Promise<void> {
    await writeFile(join(this.#dir, `${token}.json`), JSON.stringify(sidecar), { mode: 0o600 });
  }
}

function tokenOf(path: string): string | null {
  if (!path.startsWith(MEDIA_PATH)) return null;
  const token = path.slice(MEDIA_PATH.length);
  return TOKEN.test(token) ? token : null;
}
