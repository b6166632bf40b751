import type { z } from 'zod';
import type { Fetch } from '../core/ports';
import * as schemas from './admin-schemas';

/**
 * Typed client for the emulator's admin API (`/_emulator/…`). Responses are parsed with zod, so a
 * drifting server fails loudly here instead of deep inside a test.
 */

export class EmulatorAdminError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(`emulator ${path} answered ${status}: ${message}`);
    this.name = 'EmulatorAdminError';
  }
}

type In<S extends z.ZodType> = z.input<S>;
type Out<S extends z.ZodType> = z.output<S>;
export type CustomerAction =
  'react' | 'unreact' | 'edit' | 'unsend' | 'seen' | 'postback' | 'referral' | 'echo';
export type ActionInput = {
  react: In<typeof schemas.ReactInput>;
  unreact: In<typeof schemas.UnreactInput>;
  edit: In<typeof schemas.EditInput>;
  unsend: In<typeof schemas.UnsendInput>;
  seen: In<typeof schemas.SeenInput>;
  postback: In<typeof schemas.PostbackInput>;
  referral: In<typeof schemas.ReferralInput>;
  echo: In<typeof schemas.EchoInput>;
};

export type EmulatorClient = ReturnType<typeof createEmulatorClient>;

export function createEmulatorClient(baseUrl: string, fetch: Fetch = globalThis.fetch) {
  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<Out<S>> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EmulatorAdminError(response.status, path, `not JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const error = schemas.ErrorBody.safeParse(json);
      throw new EmulatorAdminError(
        response.status,
        path,
        error.success ? error.data.error : text.slice(0, 200),
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new EmulatorAdminError(
        response.status,
        path,
        `unexpected response: ${parsed.error.message}`,
      );
    return parsed.data;
  }
  const customerPath = (igsid: string, tail: string) =>
    `/_emulator/customers/${encodeURIComponent(igsid)}/${tail}`;

  return {
    baseUrl,
    getApp: () => call('GET', '/_emulator/app', schemas.AppSettings),
    configureApp: (input: In<typeof schemas.AppSettingsInput>) =>
      call('POST', '/_emulator/app', schemas.AppSettings, input),
    createAccount: (input: In<typeof schemas.AccountInput>) =>
      call('POST', '/_emulator/accounts', schemas.AccountCreated, input),
    /** The fields `/{IG_ID}/subscribed_apps` holds for this account. */
    subscription: (igUserId: string) =>
      call(
        'GET',
        `/_emulator/accounts/${encodeURIComponent(igUserId)}/subscription`,
        schemas.Subscription,
      ),
    /** Drops the account's webhook subscription, as Meta does after sustained delivery failures. */
    dropSubscription: (igUserId: string) =>
      call(
        'DELETE',
        `/_emulator/accounts/${encodeURIComponent(igUserId)}/subscription`,
        schemas.Subscription,
      ),
    /** Runs Meta's verification handshake against `callbackUrl`; rejects if it fails. */
    registerWebhook: (input: In<typeof schemas.WebhookInput>) =>
      call('POST', '/_emulator/webhook', schemas.WebhookVerified, input),
    /** The dashboard's "Test" button: a delivery with entry id "0" and fake ids. */
    dashboardTest: () => call('POST', '/_emulator/webhook/test', schemas.DeliveryOutcome),
    createCustomer: (input: In<typeof schemas.CustomerInput>) =>
      call('POST', '/_emulator/customers', schemas.CustomerCreated, input),
    setCustomerAvailable: (igsid: string, available: boolean) =>
      call(
        'POST',
        customerPath(igsid, 'availability'),
        schemas.CustomerAvailabilityInput.extend({ igsid: schemas.CustomerCreated.shape.igsid }),
        { available },
      ),
    /** The customer sends a DM; resolves after the first delivery attempt. */
    customerSends: (igsid: string, input: In<typeof schemas.CustomerMessageInput>) =>
      call('POST', customerPath(igsid, 'messages'), schemas.EventDelivered, input),
    customerDoes: <A extends CustomerAction>(igsid: string, action: A, input: ActionInput[A]) =>
      call('POST', customerPath(igsid, action), schemas.EventDelivered, input),
    comment: (input: In<typeof schemas.CommentInput>) =>
      call('POST', '/_emulator/comments', schemas.EventDelivered, input),
    /** Several events in one signed POST (docs/platform.md#delivery batching). */
    sendBatch: (input: In<typeof schemas.BatchInput>) =>
      call('POST', '/_emulator/events', schemas.BatchDelivered, input),
    now: () => call('GET', '/_emulator/clock', schemas.ClockState),
    advanceClock: (ms: number) =>
      call('POST', '/_emulator/clock/advance', schemas.ClockState, { ms }),
    /** Replaces every fault; `setFaults({})` clears them. */
    setFaults: (input: In<typeof schemas.FaultsInput>) =>
      call('POST', '/_emulator/faults', schemas.FaultsInput, input),
    sent: async (accountId?: string) =>
      (
        await call(
          'GET',
          `/_emulator/sent${accountId ? `?accountId=${encodeURIComponent(accountId)}` : ''}`,
          schemas.SentList,
        )
      ).requests,
    /** typing_on, typing_off and mark_seen requests, which `sent` leaves out. */
    presence: async (accountId?: string) =>
      (
        await call(
          'GET',
          `/_emulator/sent?presence=1${accountId ? `&accountId=${encodeURIComponent(accountId)}` : ''}`,
          schemas.SentList,
        )
      ).requests,
    deliveries: () => call('GET', '/_emulator/deliveries', schemas.DeliveryList),
    /** Waits for deliveries in flight and runs every retry due by the emulator's clock. */
    flushDeliveries: () => call('POST', '/_emulator/deliveries/flush', schemas.DeliveryList),
  };
}
