import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createCore } from '../../../../main/core/create-core';
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
