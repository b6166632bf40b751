import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  answerAndClose,
  createGuardedServer,
  type ListenerLimits,
} from '../core/http/guarded-server';
import type { Clock, Fetch, Logger } from '../core/ports';
import { adminRoutes } from './admin-routes';
import { CallBudget } from './call-budget';
import { cdnAsset, EXPIRED_ASSET_PREFIX } from './cdn';
import type { EventContext } from './customer-events';
import { EmulatorClock } from './emulator-clock';
import { Faults } from './faults';
import { handleGraph } from './graph-routes';
import { HttpError, matchRoute, readBody, send, sendJson, type Route } from './http';
import { oauthRoutes } from './oauth-routes';
import { SendApi } from './send-api';
import { WebhookDispatcher } from './webhook-delivery';
import { DEFAULT_CALL_BUDGET, HOUR_MS, World, type AppConfig } from './world';

/**
 * A local Instagram: OAuth (instagram.com / api.instagram.com), the Graph API
 * (graph.instagram.com) and webhook delivery, on one loopback origin. Inlet's tests run against it
 * and sandbox mode embeds it; it never calls Meta and binds 127.0.0.1 only.
 */

export type EmulatorOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  appId: string;
  appSecret: string;
  clock?: Clock;
  logger?: Logger;
  /** Delivers webhooks and downloads attachment URLs. */
  fetch?: Fetch;
  /** Header and request deadlines; tests shorten them. */
  limits?: Partial<ListenerLimits>;
  /** See `AppConfig.subscribeEveryone`; false (Meta's behaviour) unless a test opts in. */
  subscribeEveryone?: boolean;
  /**
   * How far the owner got in Meta's dashboard. Default: a new app, in Development mode and not
   * published, that delivers nothing (Meta's behaviour); a world of customers writing in needs
   * `{ mode: 'live', published: true }`.
   */
  app?: Partial<Pick<AppConfig, 'mode' | 'published'>>;
};

export type RunningEmulator = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Idempotent. */
  stop(): Promise<void>;
};

const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const clock = new EmulatorClock(options.clock ?? Date);
  const logger = options.logger ?? silentLogger;
  const fetch = options.fetch ?? globalThis.fetch;
  const world = new World({
    appId: options.appId,
    appSecret: options.appSecret,
    name: 'Inlet',
    redirectUris: [],
    tokenResponseShape: 'flat',
    humanAgentEnabled: false,
    windowSubcode: 2534022,
    subscribeEveryone: options.subscribeEveryone ?? false,
    mode: options.app?.mode ?? 'development',
    published: options.app?.published ?? false,
    dropSubscriptionAfterMs: HOUR_MS,
    messageExpansion: 'bodies',
    callBudget: DEFAULT_CALL_BUDGET,
  });
  const faults = new Faults();
  const budget = new CallBudget();
  const dispatcher = new WebhookDispatcher({ world, clock, fetch, logger, faults });
  const sendApi = new SendApi({ world, clock, faults, fetch });
  let baseUrl = '';
  const eventContext = (): EventContext => ({
    world,
    now: clock.now(),
    cdnUrl: (assetId, type) =>
      `${baseUrl}/cdn/ig_messaging_cdn/?asset_id=${encodeURIComponent(assetId)}&type=${encodeURIComponent(type)}&signature=${Buffer.from(assetId).toString('base64url').slice(0, 24)}`,
  });
  const routes: Route[] = [
    ...adminRoutes({ world, clock, faults, sendApi, dispatcher, eventContext }),
    ...oauthRoutes({ world, clock }),
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const rawBody = await readBody(req);
    const isAdmin = url.pathname.startsWith('/_emulator/');
    if (!isAdmin && faults.latencyMs > 0) await delay(faults.latencyMs);
    if (req.method === 'GET' && url.pathname === '/cdn/ig_messaging_cdn/') {
      const assetId = url.searchParams.get('asset_id') ?? '';
      if (assetId.startsWith(EXPIRED_ASSET_PREFIX)) {
        return send(res, 403, 'URL signature expired', 'text/plain');
      }
      const asset = cdnAsset(assetId, url.searchParams.get('type') ?? 'image');
      return send(res, 200, asset.body, asset.contentType);
    }
    const matched = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (matched) return matched.route.handler({ req, res, url, params: matched.params, rawBody });
    if (isAdmin) throw new HttpError(404, `no admin endpoint ${req.method} ${url.pathname}`);
    return handleGraph(
      { world, clock, sendApi, dispatcher, budget },
      { req, res, url, params: [], rawBody },
    );
  };

  const server = createGuardedServer({
    name: 'emulator',
    logger,
    limits: options.limits,
    // Anything but an HttpError is a bug: the guard logs it and answers 500.
    handler: (req, res, url) =>
      handle(req, res, url).catch((error: unknown) => {
        if (!(error instanceof HttpError) || res.headersSent) throw error;
        // An oversized body is not read to its end: the connection closes instead.
        if (error.status === 413) return answerAndClose(res, 413, error.message);
        sendJson(res, error.status, { error: error.message });
      }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  world.cdnOrigin = baseUrl;
  dispatcher.start();
  logger.info('instagram emulator listening', { url: baseUrl });

  let stopping: Promise<void> | null = null;
  return {
    url: baseUrl,
    stop: () =>
      (stopping ??= (async () => {
        await dispatcher.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
