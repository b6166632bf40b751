import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../../main/core/create-core';
import { runDoctorCommand, type DoctorCommandDeps } from '../../../../main/cli/doctor-command';
import { fakeSecretTool } from '../../../fakes/secret-tool';
import { startEmulator, type RunningEmulator } from '../../../../main/sandbox/emulator';
import { createEmulatorClient } from '../../../../main/sandbox/emulator-client';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'inlet-doctor-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The emulator starts its accounts unsubscribed, as Meta leaves an account whose subscription it
 * dropped; the doctor must find that and repair it only with --fix. This port in front of the
 * emulator notes whether anything subscribed.
 */
function watchedSubscription(): { fetch: typeof fetch; resubscribed: () => boolean } {
  let resubscribed = false;
  return {
    resubscribed: () => resubscribed,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/subscribed_apps') && init?.method === 'POST') resubscribed = true;
      return fetch(input, init);
    },
  };
}

function run(args: string[], graphFetch?: typeof fetch) {
  const out: string[] = [];
  const deps: DoctorCommandDeps = {
    createCore,
    env: {},
    defaultDataDir: () => dir,
    tunnel: { open: () => Promise.reject(new Error('no tunnel in this test')) },
    stdout: (line) => out.push(line),
    stderr: () => undefined,
    runCommand: fakeSecretTool('missing').run,
    fetch: graphFetch,
  };
  return runDoctorCommand(['--sandbox', '--data-dir', dir, ...args], deps).then((code) => ({
    code,
    out: out.join('\n'),
  }));
}

type DoctorJson = {
  checks: { id: string; state: string; account?: string; message: string; fix?: string }[];
};

describe('inlet doctor against the emulator', () => {
  it('prints one line per check and exits 1 when any check is not ok', async () => {
    const { code, out } = await run([]);
    const lines = out.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines).toContainEqual(expect.stringMatching(/^ok +token-accepted \[\d+\]: /));
    // The sandbox shop's token comes with what it grants, so that check can be ok too.
    expect(lines).toContainEqual(expect.stringMatching(/^ok +permissions-granted/));
    // A doctor run never attached the sandbox's webhooks: the subscription is what is not ok.
    expect(lines.filter((line) => !line.startsWith('ok '))).toEqual([
      expect.stringMatching(/^failing +subscription-complete/),
    ]);
    expect(code).toBe(1);
  });

  it('reports a dropped subscription in JSON and leaves it alone without --fix', async () => {
    const graph = watchedSubscription();
    const { code, out } = await run(['--json'], graph.fetch);
    const { checks } = JSON.parse(out) as DoctorJson;
    const subscription = checks.find((check) => check.id === 'subscription-complete');
    expect(subscription).toMatchObject({
      state: 'failing',
      fix: 'inlet doctor --fix (resubscribe)',
    });
    expect(subscription?.account).toMatch(/^\d+$/);
    expect(subscription?.message).toContain('comments');
    expect(checks.find((check) => check.id === 'tunnel-up')).not.toHaveProperty('account');
    expect(graph.resubscribed()).toBe(false);
    expect(code).toBe(1);
  });

  it('--fix re-subscribes and reports the check ok', async () => {
    const graph = watchedSubscription();
    const { out } = await run(['--json', '--fix'], graph.fetch);
    expect(graph.resubscribed()).toBe(true);
    const { checks } = JSON.parse(out) as DoctorJson;
    expect(checks.find((check) => check.id === 'subscription-complete')?.state).toBe('ok');
  });

  it('refuses an unknown flag as a usage error', async () => {
    await expect(run(['--frobnicate'])).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('inlet doctor with a Meta app and its tunnel', () => {
  const APP_ID = '990602627938098';
  const APP_SECRET = 'doctor-test-app-secret';
  const PUBLIC_URL = 'https://calm-otter.ngrok.app';
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({
      appId: APP_ID,
      appSecret: APP_SECRET,
      app: { mode: 'live', published: true },
    });
  });
  afterEach(() => emulator.stop());

  /** ngrok refuses every session until `up` says otherwise. */
  async function runLive(args: string[], up: () => boolean) {
    const account = await createEmulatorClient(emulator.url).createAccount({
      username: 'acme.studio',
    });
    let opens = 0;
    const out: string[] = [];
    const logs: string[] = [];
    const code = await runDoctorCommand(['--data-dir', dir, '--json', ...args], {
      createCore,
      env: {
        INLET_APP_ID: APP_ID,
        INLET_APP_SECRET: APP_SECRET,
        INLET_GRAPH_URL: emulator.url,
        INLET_TOKEN_URL: emulator.url,
        INLET_OAUTH_URL: emulator.url,
        INLET_IG_USER_ID: account.igUserId,
        INLET_ACCESS_TOKEN: account.accessToken,
        INLET_NGROK_AUTHTOKEN: '2abcDoctorTestAuthtoken',
      },
      defaultDataDir: () => dir,
      tunnel: {
        open: () => {
          opens += 1;
          return up()
            ? Promise.resolve({ url: PUBLIC_URL, close: () => Promise.resolve() })
            : Promise.reject(new Error('ERR_NGROK_108: session limit reached'));
        },
      },
      stdout: (line) => out.push(line),
      stderr: (line) => logs.push(line),
      runCommand: fakeSecretTool('missing').run,
      // The public address leads nowhere in a test: the probe through it fails at once.
      fetch: (input, init) =>
        new URL(input instanceof Request ? input.url : String(input)).origin === PUBLIC_URL
          ? Promise.reject(new Error('not on the internet'))
          : fetch(input, init),
    });
    const { checks } = JSON.parse(out.join('\n')) as DoctorJson;
    return { code, opens, logs, tunnel: checks.find((check) => check.id === 'tunnel-up') };
  }

  it('reports a tunnel that cannot open, with the restart repair, and leaves it alone', async () => {
    const { code, tunnel } = await runLive([], () => false);
    expect(tunnel?.fix).toBe('inlet doctor --fix (restart-tunnel)');
    // Inlet keeps retrying meanwhile: the check finds it failed, or trying again (a warning).
    expect(['failing', 'warning']).toContain(tunnel?.state);
    expect(code).toBe(1);
  });

  it('--fix restarts the tunnel and reports it up once it is', async () => {
    let ngrokBack = false;
    // ngrok comes back after the first refusal, as after a session limit was freed.
    const { tunnel, opens, logs } = await runLive(['--fix'], () => {
      const allowed = ngrokBack;
      ngrokBack = true;
      return allowed;
    });
    expect(tunnel?.state).toBe('ok');
    expect(opens).toBeGreaterThanOrEqual(2);
    expect(logs.join('\n')).toContain('restart-tunnel');
  });
});
