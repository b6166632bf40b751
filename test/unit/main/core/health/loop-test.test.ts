import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { createCore } from '../../../../../main/core/create-core';
import { classifyGraphFailure, GraphError } from '../../../../../main/core/graph/graph-errors';
import type { HealthAccount } from '../../../../../main/core/health/checks';
import { LoopTest } from '../../../../../main/core/health/loop-test';
import { startSandbox } from '../../../../../main/sandbox/sandbox';
import { createEmulatorClient } from '../../../../../main/sandbox/emulator-client';
import { memoryLogger } from '../../../../fakes/logger';
import { sandboxCore } from '../sandbox-core';

const ACCOUNT: HealthAccount = {
  igUserId: '17841400000000001',
  username: 'acme.studio',
  token: 'IGAA-token',
  reconnectReason: null,
  permissions: null,
};

describe('"Send a test message" through the real core and the embedded emulator', () => {
  let dir: string;
  let core: ReturnType<typeof createCore>;
  let emulatorUrl = '';
  afterEach(async () => {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start() {
    dir = mkdtempSync(join(tmpdir(), 'inlet-loop-'));
    core = sandboxCore(
      dir,
      {},
      {
        startSandbox: async (options) => {
          const sandbox = await startSandbox({ ...options, liveliness: false });
          emulatorUrl = sandbox.emulatorUrl;
          return sandbox;
        },
      },
    );
    await core.start();
    const [account] = (await core.handlers['app:getStatus']()).accounts;
    return account!.igUserId;
  }

  it('proves the loop: the self-message comes back through the webhook, no conversation appears', async () => {
    const account = await start();
    const before = await core.handlers['inbox:listConversations']({});
    const report = await core.handlers['health:testLoop']({ account });
    const loop = report.checks.find((check) => check.id === 'loop-proven');
    expect(loop).toMatchObject({
      account,
      state: 'ok',
      reason: { detail: { key: 'health.reason.loopOk' } },
    });
    // The same conversations with the same last messages (pictures may be archived meanwhile).
    const shown = (page: typeof before) =>
      page.conversations.map(({ id, lastMessageAt, lastMessagePreview, unreadCount }) => ({
        id,
        lastMessageAt,
        lastMessagePreview,
        unreadCount,
      }));
    expect(shown(await core.handlers['inbox:listConversations']({}))).toEqual(shown(before));
    // A later run of the checks keeps the result: it is never re-sent on its own.
    const again = await core.handlers['health:runNow']();
    expect(again.checks.filter((check) => check.id === 'loop-proven')).toEqual([loop]);
  });

  it('says Meta is not delivering when the app is unpublished, with the dashboard steps', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'], shouldAdvanceTime: true });
    try {
      const account = await start();
      const emulator = createEmulatorClient(emulatorUrl);
      await emulator.configureApp({ published: false });
      const sentBefore = (await emulator.sent(account)).length;
      const pending = core.handlers['health:testLoop']({ account });
      // Only once the test message went out does the wait for its echo begin: a minute skipped
      // earlier would time the send itself out.
      await vi.waitFor(async () =>
        expect((await emulator.sent(account)).length).toBeGreaterThan(sentBefore),
      );
      await vi.advanceTimersByTimeAsync(61_000);
      const loop = (await pending).checks.find((check) => check.id === 'loop-proven');
      expect(loop).toMatchObject({
        state: 'failing',
        reason: { detail: { key: 'health.reason.loopSilent' } },
        fix: { kind: 'owner', steps: { detail: { key: 'health.reason.loopSilentSteps' } } },
      });
      expect((await core.handlers['health:get']()).overall).toBe('failing');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an account that is not connected', async () => {
    await start();
    await expect(core.handlers['health:testLoop']({ account: '999' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('LoopTest', () => {
  const refusal = (code: number, message: string) =>
    new GraphError(
      classifyGraphFailure({
        httpStatus: 400,
        body: { error: { message, type: 'IGApiException', code } },
        requestSent: true,
      }),
      { operation: 'sendMessage', isIdempotent: false },
    );

  it('counts an echo that arrives before the send is answered', async () => {
    const test = new LoopTest({
      graph: {
        sendMessage: vi.fn(async () => {
          test.echoArrived('m_early');
          return { recipientId: ACCOUNT.igUserId, messageId: 'm_early' };
        }) as never,
      },
      now: () => Date.now(),
      logger: memoryLogger(),
      timeoutMs: 50,
    });
    expect((await test.run(ACCOUNT)).state).toBe('ok');
  });

  it('sends the business a text from itself', async () => {
    const sendMessage = vi.fn(async () => ({ recipientId: ACCOUNT.igUserId, messageId: 'm1' }));
    const test = new LoopTest({
      graph: { sendMessage: sendMessage as never },
      now: () => Date.now(),
      logger: memoryLogger(),
      timeoutMs: 10,
    });
    expect((await test.run(ACCOUNT)).state).toBe('failing');
    expect(sendMessage).toHaveBeenCalledWith(ACCOUNT.token, ACCOUNT.igUserId, {
      kind: 'text',
      recipientId: ACCOUNT.igUserId,
      text: expect.stringContaining('Inlet test message') as string,
    });
  });

  it('explains the dashboard Test button when Instagram refuses self-messaging', async () => {
    const test = new LoopTest({
      graph: { sendMessage: () => Promise.reject(refusal(100, 'Invalid parameter')) },
      now: () => Date.now(),
      logger: memoryLogger(),
    });
    const check = await test.run(ACCOUNT);
    expect(check).toMatchObject({
      state: 'unknown',
      reason: { detail: { key: 'health.reason.loopRefused' } },
      fix: { kind: 'owner', steps: { detail: { key: 'health.reason.loopRefusedSteps' } } },
    });
    expect(check.technical).toContain('code 100');
  });

  it('names a refused login and a missing role as the checks do', async () => {
    const run = (error: GraphError) =>
      new LoopTest({
        graph: { sendMessage: () => Promise.reject(error) },
        now: () => Date.now(),
        logger: memoryLogger(),
      }).run(ACCOUNT);
    expect(await run(refusal(190, 'Invalid OAuth access token'))).toMatchObject({
      state: 'failing',
      fix: { kind: 'repair', repair: 'reconnect-account' },
    });
    expect(await run(refusal(100, 'Unsupported request - method type: post'))).toMatchObject({
      state: 'failing',
      reason: { detail: { key: 'health.reason.appRoleMissing' } },
    });
  });

  it('does not send for an account that needs a login', async () => {
    const sendMessage = vi.fn();
    const check = await new LoopTest({
      graph: { sendMessage },
      now: () => Date.now(),
      logger: memoryLogger(),
    }).run({ ...ACCOUNT, token: null });
    expect(check).toMatchObject({ state: 'unknown', fix: { repair: 'reconnect-account' } });
    expect(sendMessage).not.toHaveBeenCalled();
  });
});
