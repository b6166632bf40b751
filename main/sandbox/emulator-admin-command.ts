import { parseArgs } from 'node:util';
import { CUSTOMER_ACTIONS } from './admin-routes';
import { createEmulatorClient, EmulatorAdminError, type EmulatorClient } from './emulator-client';
import { UsageError } from '../../shared/domain/command-error';

/**
 * `inlet emulator <verb> --url <emulator url> …`: the admin API from a shell, so a developer or a
 * demo script can make customers write, inject faults and read back what Inlet sent without
 * writing code. Each verb is one admin call; its JSON answer is printed on stdout.
 */

type Input = Record<string, unknown>;

type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

/** The admin call behind each verb. Inputs are validated by the emulator, which explains refusals. */
const VERBS: Record<
  string,
  (client: EmulatorClient, input: Input, customer: string | undefined) => Promise<unknown>
> = {
  app: (client, input) =>
    Object.keys(input).length === 0 ? client.getApp() : client.configureApp(input),
  account: (client, input) => client.createAccount(input as never),
  subscription: (client, input) => client.subscription(requireAccount(input)),
  unsubscribe: (client, input) => client.dropSubscription(requireAccount(input)),
  webhook: (client, input) => client.registerWebhook(input as never),
  'test-delivery': (client) => client.dashboardTest(),
  customer: (client, input) => client.createCustomer(input as never),
  message: (client, input, customer) => client.customerSends(requireCustomer(customer), input),
  comment: (client, input) => client.comment(input as never),
  faults: (client, input) => client.setFaults(input),
  advance: (client, input) => client.advanceClock(Number(input.ms)),
  sent: async (client, input) =>
    client.sent(typeof input.accountId === 'string' ? input.accountId : undefined),
  deliveries: (client) => client.deliveries(),
  flush: (client) => client.flushDeliveries(),
  ...Object.fromEntries(
    CUSTOMER_ACTIONS.map((action) => [
      action,
      (client: EmulatorClient, input: Input, customer: string | undefined) =>
        client.customerDoes(requireCustomer(customer), action satisfies CustomerAction, input),
    ]),
  ),
};

export const EMULATOR_VERBS = Object.keys(VERBS);

export const EMULATOR_ADMIN_USAGE = `usage: inlet emulator <verb> --url <emulator url> [options] [--json '<object>']
verbs: ${EMULATOR_VERBS.join(', ')}
options (shorthands for the admin API's JSON fields; --json gives any field):
  --username U --name N --account IG_ID --customer IGSID --text T --mid MID --emoji E --reaction R
  --callback URL --verify-token T --ms N
examples:
  inlet emulator customer --url $EMU --account 17841400000000001 --username lena.k
  inlet emulator message  --url $EMU --customer 1284973601758392 --text "Hi ✨"
  inlet emulator react    --url $EMU --customer 1284973601758392 --mid <mid> --emoji 🔥
  inlet emulator unsubscribe --url $EMU --account 17841400000000001
  inlet emulator app      --url $EMU --json '{"mode":"live","published":true}'
  inlet emulator test-delivery --url $EMU
  inlet emulator faults   --url $EMU --json '{"sendFailures":{"count":3,"code":613}}'
  inlet emulator sent     --url $EMU`;

const SHORTHANDS: Record<string, string> = {
  username: 'username',
  name: 'name',
  account: 'accountId',
  text: 'text',
  mid: 'mid',
  emoji: 'emoji',
  reaction: 'reaction',
  callback: 'callbackUrl',
  'verify-token': 'verifyToken',
  ms: 'ms',
};

export async function runEmulatorAdminCommand(
  verb: string,
  args: string[],
  io: {
    stdout: (line: string) => void;
    env?: Readonly<Record<string, string | undefined>>;
    fetch?: typeof fetch;
  },
): Promise<void> {
  const run = VERBS[verb];
  if (!run) throw new UsageError(`emulator: unknown verb "${verb}"\n${EMULATOR_ADMIN_USAGE}`);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: Object.fromEntries(
        ['url', 'json', 'customer', ...Object.keys(SHORTHANDS)].map((name) => [
          name,
          { type: 'string' },
        ]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`emulator ${verb}: ${(error as Error).message}\n${EMULATOR_ADMIN_USAGE}`);
  }
  const url = values.url ?? io.env?.INLET_EMULATOR_URL;
  if (!url) throw new UsageError(`emulator ${verb}: --url (or INLET_EMULATOR_URL) is required`);
  const input: Input = { ...parseJsonObject(values.json, verb) };
  for (const [flag, field] of Object.entries(SHORTHANDS)) {
    const value = values[flag];
    if (value !== undefined) input[field] = field === 'ms' ? Number(value) : value;
  }
  try {
    const answer = await run(createEmulatorClient(url, io.fetch), input, values.customer);
    io.stdout(JSON.stringify(answer));
  } catch (error) {
    if (error instanceof EmulatorAdminError) {
      throw new Error(`emulator ${verb}: ${error.message}`, { cause: error });
    }
    if (error instanceof TypeError) {
      throw new Error(`emulator ${verb}: cannot reach ${url} (${error.message})`, { cause: error });
    }
    throw error;
  }
}

function parseJsonObject(text: string | undefined, verb: string): Input {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`emulator ${verb}: --json is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`emulator ${verb}: --json must be a JSON object`);
  }
  return value as Input;
}

function requireAccount(input: Input): string {
  if (typeof input.accountId !== 'string')
    throw new UsageError('this verb needs --account <IG_ID>');
  return input.accountId;
}

function requireCustomer(customer: string | undefined): string {
  if (customer === undefined) throw new UsageError('this verb needs --customer <IGSID>');
  return customer;
}
