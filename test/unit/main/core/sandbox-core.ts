import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createCore } from '../../../../main/core/create-core';
import { readListenerFile } from '../../../../main/core/deliveries/listener-file';
import type { CoreOptions } from '../../../../main/core/core-types';
import { startSandbox } from '../../../../main/sandbox/sandbox';
import { memoryKv } from '../../../fakes/memory-kv';
import { memoryLogger } from '../../../fakes/logger';
import { testCipher } from './auth/auth-harness';

/** The real core in sandbox mode on `dataDir`: embedded emulator, no tunnel, any free port. */
export function sandboxCore(
  dataDir: string,
  options: CoreOptions = {},
  deps: Partial<Parameters<typeof createCore>[0]> = {},
): ReturnType<typeof createCore> {
  return createCore({
    startSandbox,
    cipher: testCipher(),
    kv: memoryKv(),
    browser: { open: async () => undefined },
    notifier: { notify: () => undefined },
    clock: { now: () => Date.now() },
    fetch,
    logger: memoryLogger(),
    tunnel: { open: () => Promise.reject(new Error('no tunnel in this test')) },
    dataDir,
    env: {},
    options: { sandbox: true, noTunnel: true, webhookPort: 0, ...options },
    ...deps,
  });
}

/**
 * For each test of the file: a started sandbox core on a fresh data dir, stopped and removed
 * after it. Read `sandbox.core` and `sandbox.dir` inside the tests.
 */
export function sandboxCorePerTest(prefix: string): {
  dir: string;
  core: ReturnType<typeof createCore>;
} {
  const sandbox = {} as { dir: string; core: ReturnType<typeof createCore> };
  beforeEach(async () => {
    sandbox.dir = mkdtempSync(join(tmpdir(), prefix));
    sandbox.core = sandboxCore(sandbox.dir);
    await sandbox.core.start();
  });
  afterEach(async () => {
    await sandbox.core.stop();
    rmSync(sandbox.dir, { recursive: true, force: true });
  });
  return sandbox;
}

/**
 * As `sandboxCorePerTest`, with the listener the core opened and the key-value store it keeps
 * settings in: what the developer tests post deliveries to and read settings from. `deps` is asked
 * before each test (a test file's clock, say).
 */
export function sandboxListenerPerTest(
  prefix: string,
  deps: () => Partial<Parameters<typeof createCore>[0]> = () => ({}),
): {
  dir: string;
  core: ReturnType<typeof createCore>;
  kv: ReturnType<typeof memoryKv>;
  url: string;
  /** The sandbox's connected account. */
  accountId: () => Promise<string>;
  /** POSTs `body` to the listener with this signature header (none when null); the status. */
  post: (body: string, signature: string | null) => Promise<number>;
} {
  const sandbox = {
    accountId: async () => {
      const status = await sandbox.core.handlers['app:getStatus']();
      return status.accounts[0]?.igUserId ?? '';
    },
    post: async (body: string, signature: string | null) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (signature) headers['X-Hub-Signature-256'] = signature;
      return (await fetch(sandbox.url, { method: 'POST', body, headers })).status;
    },
  } as ReturnType<typeof sandboxListenerPerTest>;
  beforeEach(async () => {
    sandbox.dir = mkdtempSync(join(tmpdir(), prefix));
    sandbox.kv = memoryKv();
    sandbox.core = sandboxCore(sandbox.dir, {}, { kv: sandbox.kv, ...deps() });
    await sandbox.core.start();
    sandbox.url =
      readListenerFile(join(sandbox.dir, 'sandbox.sqlite'), (pid) => pid === process.pid)?.url ??
      '';
  });
  afterEach(async () => {
    await sandbox.core.stop();
    rmSync(sandbox.dir, { recursive: true, force: true });
  });
  return sandbox;
}
