import type { z } from 'zod';
import * as schemas from './admin-schemas';
import {
  commentEvent,
  customerEdit,
  customerMessage,
  customerOf,
  customerPostback,
  customerReaction,
  customerReferral,
  customerSeen,
  customerUnsend,
  echoEvent,
  EventInputError,
  type EventContext,
} from './customer-events';
import type { EmulatorClock } from './emulator-clock';
import type { Faults } from './faults';
import { HttpError, route, sendJson, type Route, type RoutedRequest } from './http';
import { newMid } from './ids';
import type { SendApi } from './send-api';
import type { WebhookDispatcher, WebhookEvent } from './webhook-delivery';
import { ALL_SCOPES, type World } from './world';

/**
 * The emulator's control surface (`/_emulator/…`, plain JSON): script customers, inject faults,
 * move the clock and read back what Inlet sent. Tests and the sandbox use only this, never the
 * emulator's internals, so everything they do is something a developer can do with curl.
 */

export type AdminDeps = {
  world: World;
  clock: EmulatorClock;
  faults: Faults;
  sendApi: SendApi;
  dispatcher: WebhookDispatcher;
  eventContext: () => EventContext;
};

/** What a customer can do besides writing; each is `POST /_emulator/customers/{igsid}/{action}`. */
export const CUSTOMER_ACTIONS = [
  'react',
  'unreact',
  'edit',
  'unsend',
  'seen',
  'postback',
  'referral',
  'echo',
] as const;

export function adminRoutes(deps: AdminDeps): Route[] {
  const { world, clock, faults, sendApi, dispatcher } = deps;
  return [
    route('GET', /^\/_emulator\/app$/, ({ res }) => sendJson(res, 200, appSettings(world))),
    route('POST', /^\/_emulator\/app$/, (request) => {
      const input = parse(schemas.AppSettingsInput, request);
      Object.assign(
        world.app,
        Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      );
      sendJson(request.res, 200, appSettings(world));
    }),
    route('POST', /^\/_emulator\/accounts$/, (request) => {
      const input = parse(schemas.AccountInput, request);
      if (input.igUserId && world.accounts.has(input.igUserId))
        throw new HttpError(409, `account ${input.igUserId} already exists`);
      const account = world.createAccount(input);
      // Like the dashboard's "Generate token": long-lived, every inbox scope
      // (docs/platform.md#token-refresh).
      const token = world.issueToken(account.igUserId, 'long', clock.now(), [...ALL_SCOPES]);
      sendJson(request.res, 201, {
        igUserId: account.igUserId,
        username: account.username,
        accessToken: token.token,
        permissions: token.scopes,
      });
    }),
    // What Meta does after sustained delivery failures, or an admin removing the app: the account
    // stays connected and its token works, but nothing is delivered (docs/platform.md#subscriptions).
    route('DELETE', /^\/_emulator\/accounts\/(\d+)\/subscription$/, (request) => {
      const account = world.accounts.get(request.params[0]!);
      if (!account) throw new HttpError(404, `unknown account ${request.params[0]}`);
      account.subscribedFields = [];
      sendJson(request.res, 200, { igUserId: account.igUserId, subscribedFields: [] });
    }),
    route('GET', /^\/_emulator\/accounts\/(\d+)\/subscription$/, (request) => {
      const account = world.accounts.get(request.params[0]!);
      if (!account) throw new HttpError(404, `unknown account ${request.params[0]}`);
      sendJson(request.res, 200, {
        igUserId: account.igUserId,
        subscribedFields: account.subscribedFields,
      });
    }),
    route('POST', /^\/_emulator\/webhook$/, async (request) => {
      const input = parse(schemas.WebhookInput, request);
      const result = await dispatcher.verify(input.callbackUrl, input.verifyToken);
      sendJson(request.res, 'verified' in result ? 200 : 502, result);
    }),
    route('POST', /^\/_emulator\/webhook\/test$/, async ({ res }) => {
      const result = await dispatcher.dispatchDashboardTest();
      sendJson(res, 200, { status: result.status, error: result.error });
    }),
    route('POST', /^\/_emulator\/customers$/, (request) => {
      const input = parse(schemas.CustomerInput, request);
      if (!world.accounts.has(input.accountId))
        throw new HttpError(404, `unknown account ${input.accountId}`);
      const owner = input.igsid ? world.customers.get(input.igsid)?.accountId : undefined;
      // An IGSID is scoped to one business account (docs/platform.md#ids).
      if (owner && owner !== input.accountId)
        throw new HttpError(409, `igsid ${input.igsid} belongs to another account`);
      const customer = world.createCustomer(input);
      sendJson(request.res, 201, { igsid: customer.igsid, username: customer.username });
    }),
    route('POST', /^\/_emulator\/customers\/(\d+)\/messages$/, async (request) => {
      const input = parse(schemas.CustomerMessageInput, request);
      await deliverOne(deps, request, { ...input, kind: 'message', igsid: request.params[0]! });
    }),
    route('POST', /^\/_emulator\/customers\/(\d+)\/availability$/, (request) => {
      const input = parse(schemas.CustomerAvailabilityInput, request);
      const customer = customerOf(world, request.params[0]!);
      customer.isAvailable = input.available;
      sendJson(request.res, 200, { igsid: customer.igsid, available: customer.isAvailable });
    }),
    route(
      'POST',
      new RegExp(`^/_emulator/customers/(\\d+)/(${CUSTOMER_ACTIONS.join('|')})$`),
      async (request) => {
        const kind = request.params[1] as (typeof CUSTOMER_ACTIONS)[number];
        const fields = JSON.parse(request.rawBody || '{}') as Record<string, unknown>;
        const item = schemas.BatchItem.safeParse({ ...fields, kind, igsid: request.params[0] });
        if (!item.success)
          throw new HttpError(
            400,
            item.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        await deliverOne(deps, request, item.data);
      },
    ),
    route('POST', /^\/_emulator\/comments$/, async (request) => {
      const input = parse(schemas.CommentInput, request);
      await deliverOne(deps, request, { ...input, kind: 'comment' });
    }),
    route('POST', /^\/_emulator\/events$/, async (request) => {
      const input = parse(schemas.BatchInput, request);
      const built = input.events.map((item) => buildEvent(deps.eventContext(), item));
      const result = await dispatcher.dispatch(
        built.map((b) => b.event),
        input.entries ?? 'grouped',
      );
      sendJson(request.res, 200, {
        mids: built.map((b) => b.mid),
        delivery: { status: result.status, error: result.error },
      });
    }),
    route('GET', /^\/_emulator\/clock$/, ({ res }) => sendJson(res, 200, { now: clock.now() })),
    route('POST', /^\/_emulator\/clock\/advance$/, (request) => {
      const input = parse(schemas.ClockAdvanceInput, request);
      sendJson(request.res, 200, { now: clock.advance(input.ms) });
    }),
    route('GET', /^\/_emulator\/faults$/, ({ res }) => sendJson(res, 200, faults.snapshot())),
    route('POST', /^\/_emulator\/faults$/, (request) => {
      faults.set(parse(schemas.FaultsInput, request));
      sendJson(request.res, 200, faults.snapshot());
    }),
    route('GET', /^\/_emulator\/sent$/, ({ res, url }) => {
      const accountId = url.searchParams.get('accountId');
      // `?presence=1`: the typing and mark_seen requests instead of the sends.
      const log = url.searchParams.get('presence') === '1' ? sendApi.presence : sendApi.sent;
      const requests = log.filter((r) => accountId === null || r.accountId === accountId);
      sendJson(res, 200, { requests });
    }),
    route('GET', /^\/_emulator\/deliveries$/, ({ res }) => sendJson(res, 200, dispatcher.list())),
    route('POST', /^\/_emulator\/deliveries\/flush$/, async ({ res }) => {
      await dispatcher.flush();
      sendJson(res, 200, dispatcher.list());
    }),
  ];
}

async function deliverOne(
  deps: AdminDeps,
  request: RoutedRequest,
  item: z.output<typeof schemas.BatchItem>,
): Promise<void> {
  const built = buildEvent(deps.eventContext(), item);
  const result = await deps.dispatcher.dispatch([built.event]);
  sendJson(request.res, 200, {
    mid: built.mid,
    commentId: built.commentId ?? null,
    delivery: { status: result.status, error: result.error },
  });
}

/** One admin action → one webhook event (and the change it makes to the emulated world). */
function buildEvent(
  ctx: EventContext,
  item: z.output<typeof schemas.BatchItem>,
): { mid: string | null; commentId?: string; event: WebhookEvent } {
  try {
    switch (item.kind) {
      case 'message': {
        const { mid, event } = customerMessage(ctx, item.igsid, item);
        return { mid, event };
      }
      case 'react':
        return {
          mid: item.mid,
          event: customerReaction(ctx, item.igsid, { ...item, action: 'react' }),
        };
      case 'unreact':
        return {
          mid: item.mid,
          event: customerReaction(ctx, item.igsid, { ...item, action: 'unreact' }),
        };
      case 'edit':
        return { mid: item.mid, event: customerEdit(ctx, item.igsid, item) };
      case 'unsend':
        return { mid: item.mid, event: customerUnsend(ctx, item.igsid, item) };
      case 'seen': {
        const event = customerSeen(ctx, item.igsid, item);
        return { mid: (event.item.read as { mid: string }).mid, event };
      }
      case 'postback': {
        const event = customerPostback(ctx, item.igsid, item);
        return { mid: (event.item.postback as { mid: string }).mid, event };
      }
      case 'referral':
        return { mid: null, event: customerReferral(ctx, item.igsid, item) };
      case 'echo': {
        // The owner typed in the Instagram app: an echo Inlet did not cause
        // (docs/platform.md#messages-field is_echo).
        const customer = customerOf(ctx.world, item.igsid);
        const message = ctx.world.addMessage({
          mid: item.mid ?? newMid(customer.accountId),
          accountId: customer.accountId,
          igsid: customer.igsid,
          direction: 'out',
          createdAt: item.timestamp ?? ctx.now,
          text: item.text,
          attachments: [],
          reactions: [],
        });
        return { mid: message.mid, event: echoEvent(message) };
      }
      case 'comment': {
        const { comment, event } = commentEvent(ctx, item);
        return { mid: null, commentId: comment.id, event };
      }
    }
  } catch (error) {
    if (error instanceof EventInputError) throw new HttpError(error.status, error.message);
    throw error;
  }
}

function appSettings(world: World): z.output<typeof schemas.AppSettings> {
  // The schema strips what the admin API never shows (the app secret).
  return schemas.AppSettings.parse(world.app);
}

function parse<S extends z.ZodType>(schema: S, request: RoutedRequest): z.output<S> {
  let raw: unknown;
  try {
    raw = request.rawBody.trim() === '' ? {} : JSON.parse(request.rawBody);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new HttpError(
      400,
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}
