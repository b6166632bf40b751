import { afterEach, describe, expect, it } from 'vitest';
import { runEmulatorCommand } from '../../../../main/sandbox/emulator-command';
import { SANDBOX_APP_ID } from '../../../../main/sandbox/sandbox';
import { SIMULATE_EVENTS, runSimulateCommand } from '../../../../main/sandbox/simulate-command';
import { hasValidSignature, messagingOf, startReceiver } from './webhook-receiver';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  return {
    out,
    err,
    stops,
    io: {
      stdout: (l: string) => out.push(l),
      stderr: (l: string) => err.push(l),
      onStop: (s: () => Promise<void>) => stops.push(s),
    },
  };
}

describe('inlet emulator', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('prints exactly one ready line and serves the admin API until stopped', async () => {
    const c = capture();
    await runEmulatorCommand(
      ['--port', '0', '--app-id', '123456789012345', '--app-secret', 's3cret'],
      c.io,
    );
    stops.push(...c.stops);
    expect(c.out).toHaveLength(1);
    const ready = JSON.parse(c.out[0]!) as { event: string; url: string; appId: string };
    expect(ready).toEqual({
      event: 'ready',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
      appId: '123456789012345',
    });
    const app = (await (await fetch(`${ready.url}/_emulator/app`)).json()) as { appId: string };
    expect(app.appId).toBe('123456789012345');
    expect(c.err.some((line) => line.includes('instagram emulator listening'))).toBe(true);
    await c.stops[0]!();
    await expect(fetch(`${ready.url}/_emulator/app`)).rejects.toThrow();
  });

  it('defaults to the sandbox app id', async () => {
    const c = capture();
    await runEmulatorCommand([], c.io);
    stops.push(...c.stops);
    expect((JSON.parse(c.out[0]!) as { appId: string }).appId).toBe(SANDBOX_APP_ID);
  });

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--bogus']], [['positional']]])(
    'refuses %o with a usage error',
    async (args) => {
      const c = capture();
      await expect(runEmulatorCommand(args, c.io)).rejects.toMatchObject({ exitCode: 2 });
      expect(c.out).toHaveLength(0);
    },
  );
});

describe('inlet simulate', () => {
  it.each(SIMULATE_EVENTS)('fires a signed, Meta-escaped %s event', async (kind) => {
    const receiver = await startReceiver({ verifyToken: 'unused' });
    try {
      const c = capture();
      await runSimulateCommand(
        [kind, '--url', receiver.url, '--secret', 'app-secret', '--text', 'Hi ✨ / there'],
        c.io,
      );
      expect(c.out.at(-1)).toBe('HTTP 200');
      const [post] = receiver.posts;
      expect(post!.text).toBe(c.out[0]);
      expect(hasValidSignature(post!, 'app-secret')).toBe(true);
      expect([...post!.text].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
      expect(post!.json.object).toBe('instagram');
      expect(post!.json.entry[0]!.id).toBe('17841405309211844');
      const events = [
        ...messagingOf(post!),
        ...(post!.json.entry[0]!.standby ?? []),
        ...(post!.json.entry[0]!.changes ?? []),
      ];
      expect(events).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('uses the given account, customer and mid', async () => {
    const receiver = await startReceiver({ verifyToken: 'unused' });
    try {
      const c = capture();
      await runSimulateCommand(
        [
          'react',
          '--url',
          receiver.url,
          '--secret',
          's',
          '--account',
          '17841400000000001',
          '--customer',
          '42',
          '--mid',
          'aWdfX',
          '--emoji',
          '🔥',
        ],
        c.io,
      );
      const event = messagingOf(receiver.posts[0]!)[0]!;
      expect(event).toMatchObject({
        sender: { id: '42' },
        recipient: { id: '17841400000000001' },
        reaction: { mid: 'aWdfX', action: 'react', reaction: 'other', emoji: '🔥' },
      });
    } finally {
      await receiver.close();
    }
  });

  it('reports a refused delivery as an error after printing the status', async () => {
    const receiver = await startReceiver({ verifyToken: 'unused' });
    receiver.statusQueue.push(403);
    try {
      const c = capture();
      await expect(
        runSimulateCommand(['message', '--url', receiver.url, '--secret', 'wrong'], c.io),
      ).rejects.toThrow(/HTTP 403/);
      expect(c.out.at(-1)).toBe('HTTP 403');
      expect(receiver.posts).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    [[]],
    [['nope', '--url', 'http://127.0.0.1:1/', '--secret', 's']],
    [['message', '--secret', 's']],
    [['message', '--url', 'x', '--secret', 's', '--bogus']],
  ])('refuses %o with a usage error', async (args) => {
    const c = capture();
    await expect(runSimulateCommand(args, c.io)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('prints usage for --help', async () => {
    const c = capture();
    await runSimulateCommand(['--help'], c.io);
    expect(c.out[0]).toContain('usage: inlet simulate');
  });
});
