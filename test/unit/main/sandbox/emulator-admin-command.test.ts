import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../main/sandbox/emulator';
import {
  EMULATOR_VERBS,
  runEmulatorAdminCommand,
} from '../../../../main/sandbox/emulator-admin-command';
import { UsageError } from '../../../../shared/domain/command-error';
import { runEmulatorCommand } from '../../../../main/sandbox/emulator-command';
import { CUSTOMER_ACTIONS } from '../../../../main/sandbox/admin-routes';

let emulator: RunningEmulator;
beforeEach(async () => {
  // A script with no Inlet behind it: nothing else would subscribe the accounts it creates.
  emulator = await startEmulator({
    appId: '990602627938098',
    appSecret: 'secret',
    subscribeEveryone: true,
    app: { mode: 'live', published: true },
  });
});
afterEach(() => emulator.stop());

async function run(verb: string, ...args: string[]): Promise<unknown> {
  const lines: string[] = [];
  await runEmulatorAdminCommand(verb, ['--url', emulator.url, ...args], {
    stdout: (line) => lines.push(line),
  });
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? 'null');
}

describe('inlet emulator <verb>', () => {
  it('scripts an account, a customer, a message and a reaction, and reads back deliveries', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET')
        return void response.end(url.searchParams.get('hub.challenge') ?? '');
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
    await run('webhook', '--callback', callback, '--verify-token', 'vt');
    const account = (await run('account', '--username', 'acme.studio')) as { igUserId: string };
    expect(account.igUserId).toMatch(/^1784\d{13}$/);
    const customer = (await run(
      'customer',
      '--account',
      account.igUserId,
      '--username',
      'lena.k',
    )) as { igsid: string };
    const sent = (await run('message', '--customer', customer.igsid, '--text', 'Hi ✨')) as {
      mid: string;
    };
    expect(sent.mid).toEqual(expect.any(String));
    await run('react', '--customer', customer.igsid, '--mid', sent.mid, '--emoji', '🔥');
    const deliveries = (await run('deliveries')) as { body: string }[];
    expect(deliveries).toHaveLength(2);
    expect(received.some((body) => body.includes('"text":"Hi \\u2728"'))).toBe(true);
    expect(received.some((body) => body.includes('"reaction"'))).toBe(true);
    receiver.close();
    const settings = (await run('app')) as { appId: string };
    expect(settings.appId).toBe('990602627938098');
  });

  it('passes any field through --json and moves the clock', async () => {
    const faults = await run('faults', '--json', '{"sendFailures":{"count":2,"code":613}}');
    expect(faults).toMatchObject({ sendFailures: { count: 2, code: 613 } });
    const before = (await run('advance', '--ms', '0')) as { now: number };
    const after = (await run('advance', '--ms', '60000')) as { now: number };
    // The emulator's clock also follows real time between the two calls.
    expect(after.now - before.now).toBeGreaterThanOrEqual(60000);
    expect(after.now - before.now).toBeLessThan(65000);
  });

  it('explains refusals from the emulator and usage mistakes', async () => {
    await expect(run('customer', '--account', 'not-digits', '--username', 'x')).rejects.toThrow(
      /emulator customer: .+/,
    );
    await expect(run('message', '--text', 'no customer')).rejects.toThrow(/--customer/);
    await expect(run('faults', '--json', '[1]')).rejects.toThrow(UsageError);
    await expect(run('faults', '--json', '{oops')).rejects.toThrow(/not valid JSON/);
    await expect(run('message', '--bogus', 'x')).rejects.toThrow(UsageError);
    await expect(
      runEmulatorAdminCommand('sent', [], { stdout: () => undefined, env: {} }),
    ).rejects.toThrow(/--url/);
    await expect(
      runEmulatorAdminCommand('nope', ['--url', emulator.url], { stdout: () => undefined }),
    ).rejects.toThrow(/unknown verb/);
  });

  it('says plainly when the emulator cannot be reached', async () => {
    await emulator.stop();
    await expect(run('sent')).rejects.toThrow(/cannot reach/);
  });

  it('prints both usages for inlet emulator help', async () => {
    const lines: string[] = [];
    await runEmulatorCommand(['--help'], {
      stdout: (line) => lines.push(line),
      stderr: () => undefined,
      onStop: () => undefined,
    });
    expect(lines.join('\n')).toMatch(/--port N[\s\S]*verbs: app, account/);
  });

  it('offers a verb for every customer action of the admin API', () => {
    expect(EMULATOR_VERBS).toEqual(
      expect.arrayContaining([...CUSTOMER_ACTIONS, 'comment', 'sent', 'flush']),
    );
  });
});
