import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, CoreDeps } from '../../../../main/core/core-types';
import type { TunnelProvider } from '../../../../main/core/ports';
import { CommandError, UsageError } from '../../../../shared/domain/command-error';
import {
  DEFAULT_SERVE_PORT,
  parseServeArgs,
  runServeCommand,
  type ServeCommandDeps,
} from '../../../../main/headless/serve-command';
import {
  STATUS,
  connect,
  fakeEvents,
  fakeHandlers,
  makeRendererDir,
  rawRequest,
} from './headless-kit';
import { fakeSecretTool } from '../../../fakes/secret-tool';

const tunnel: TunnelProvider = { open: () => Promise.reject(new Error('no tunnel in unit tests')) };

/** Is anything accepting TCP connections on 127.0.0.1:port? */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type Harness = {
  deps: ServeCommandDeps;
  stdout: string[];
  stderr: string[];
  steps: string[];
  coreDeps: () => CoreDeps;
  signal: () => void;
  ready: Promise<{ uiUrl: string; [key: string]: unknown }>;
  uiPortAtCoreStop: () => boolean | undefined;
  /** How many times the shell told the core the machine woke. */
  wakes: () => number;
};

let dirs: ReturnType<typeof makeRendererDir>;
let home: string;

beforeEach(() => {
  dirs = makeRendererDir();
  home = mkdtempSync(path.join(tmpdir(), 'inlet-serve-'));
});
afterEach(() => {
  dirs.cleanup();
  rmSync(home, { recursive: true, force: true });
});

function harness(
  overrides: {
    start?: (signal: () => void) => Promise<void>;
    env?: Record<string, string>;
    secretTool?: ReturnType<typeof fakeSecretTool>;
  } = {},
): Harness {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const steps: string[] = [];
  let captured: CoreDeps | undefined;
  let signalHandler: (() => void) | undefined;
  let uiPort: number | undefined;
  let wasListeningAtCoreStop: boolean | undefined;
  let resolveReady: (line: { uiUrl: string }) => void = () => undefined;
  const ready = new Promise<{ uiUrl: string }>((resolve) => (resolveReady = resolve));
  const signal = () => signalHandler?.();
  let wakes = 0;

  const createCore = (coreDeps: CoreDeps): Core => {
    captured = coreDeps;
    return {
      handlers: fakeHandlers(),
      events: fakeEvents(),
      status: () => ({ ...STATUS, mode: 'live', webhookUrl: 'http://127.0.0.1:4100/webhook' }),
      mediaFile: () => null,
      sandboxOrigin: () => 'http://127.0.0.1:4900',
      woke: () => {
        wakes += 1;
      },
      start: async () => {
        steps.push('core.start');
        await overrides.start?.(signal);
      },
      stop: async () => {
        // The UI server must already be closed: no browser command may reach a stopping core.
        if (uiPort !== undefined) wasListeningAtCoreStop = await isListening(uiPort);
        steps.push('core.stop');
      },
      exportArchive: () => undefined,
    };
  };
  const deps: ServeCommandDeps = {
    createCore,
    env: overrides.env ?? {},
    defaultDataDir: () => path.join(home, 'default-data'),
    rendererDir: dirs.rendererDir,
    tunnel,
    process: new EventEmitter(),
    exit: () => undefined,
    stdout: (line) => {
      stdout.push(line);
      const parsed = JSON.parse(line) as { uiUrl: string };
      uiPort = Number(new URL(parsed.uiUrl).port);
      resolveReady(parsed);
    },
    stderr: (line) => stderr.push(line),
    onSignal: (handler) => {
      signalHandler = handler;
    },
    // Never the real keyring of whoever runs the tests.
    runCommand: (overrides.secretTool ?? fakeSecretTool('missing')).run,
  };
  return {
    deps,
    stdout,
    stderr,
    steps,
    signal,
    ready,
    coreDeps: () => {
      if (!captured) throw new Error('createCore was not called');
      return captured;
    },
    uiPortAtCoreStop: () => wasListeningAtCoreStop,
    wakes: () => wakes,
  };
}

describe('parseServeArgs', () => {
  const defaultDir = () => '/var/lib/inlet-default';

  it('defaults to port 4870 and the default data dir', () => {
    expect(parseServeArgs([], {}, defaultDir)).toEqual({
      dataDir: '/var/lib/inlet-default',
      port: DEFAULT_SERVE_PORT,
      portSource: 'default',
      coreOptions: {},
      wakeCheckMs: 60_000,
    });
    expect(DEFAULT_SERVE_PORT).toBe(4870);
  });

  it('reads how often to look for a sleep from INLET_WAKE_CHECK_MS, and refuses nonsense', () => {
    expect(parseServeArgs([], { INLET_WAKE_CHECK_MS: '500' }, defaultDir)?.wakeCheckMs).toBe(500);
    for (const bad of ['0', '99', '-5', '1e3', 'soon']) {
      expect(() => parseServeArgs([], { INLET_WAKE_CHECK_MS: bad }, defaultDir)).toThrow(
        /INLET_WAKE_CHECK_MS expects a number of milliseconds of at least 100/,
      );
    }
  });

  it('lets INLET_PORT and INLET_DATA_DIR override the defaults, and flags override both', () => {
    const env = { INLET_PORT: '5000', INLET_DATA_DIR: '/srv/inlet' };
    expect(parseServeArgs([], env, defaultDir)).toMatchObject({
      port: 5000,
      portSource: 'INLET_PORT',
      dataDir: '/srv/inlet',
    });
    expect(parseServeArgs(['--port', '0', '--data-dir', '/tmp/x'], env, defaultDir)).toMatchObject({
      port: 0,
      portSource: '--port',
      dataDir: '/tmp/x',
    });
    expect(parseServeArgs([], { INLET_PORT: '', INLET_DATA_DIR: '' }, defaultDir)).toMatchObject({
      port: DEFAULT_SERVE_PORT,
      dataDir: '/var/lib/inlet-default',
    });
  });

  it('resolves a relative data dir against the working directory', () => {
    expect(parseServeArgs(['--data-dir', 'rel/dir'], {}, defaultDir)?.dataDir).toBe(
      path.resolve('rel/dir'),
    );
  });

  it('maps the core options', () => {
    const parsed = parseServeArgs(
      ['--sandbox', '--no-tunnel', '--webhook-port', '0'],
      {},
      defaultDir,
    );
    expect(parsed?.coreOptions).toEqual({ sandbox: true, noTunnel: true, webhookPort: 0 });
    const forwarding = parseServeArgs(
      ['--forward-to', 'http://127.0.0.1:3000/hook', '--forward-to', 'http://localhost:4000/'],
      {},
      defaultDir,
    );
    expect(forwarding?.coreOptions).toEqual({
      forwardTo: ['http://127.0.0.1:3000/hook', 'http://localhost:4000/'],
      forwardRemote: false,
    });
  });

  it('returns null for --help', () => {
    expect(parseServeArgs(['--help'], {}, defaultDir)).toBeNull();
    expect(parseServeArgs(['-h'], {}, defaultDir)).toBeNull();
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port'], /--port/],
    [['--port', '80a'], /--port expects a port/],
    [['--port', '65536'], /--port expects a port/],
    [['--port', '-1'], /--port/],
    [['--webhook-port', '1.5'], /--webhook-port expects a port/],
    [['--sandbox=yes'], /sandbox/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--forward-to', 'ftp://127.0.0.1/hook'], /--forward-to ftp:.* is not http\(s\)/],
    [['--forward-to', 'https://hooks.example.com/'], /needs --forward-remote/],
  ])('rejects %j with a usage error (exit code 2)', (args, message) => {
    let thrown: unknown;
    try {
      parseServeArgs(args, {}, defaultDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({ exitCode: 2 });
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toContain('Usage: inlet serve');
  });

  it('names INLET_PORT when the environment holds a bad port', () => {
    expect(() => parseServeArgs([], { INLET_PORT: 'http' }, defaultDir)).toThrow(
      /INLET_PORT expects a port/,
    );
  });
});

describe('runServeCommand', () => {
  it('prints exactly one JSON ready line on stdout, serves the UI, and stops server then core on a signal', async () => {
    const h = harness();
    const dataDir = path.join(home, 'data');
    const running = runServeCommand(
      ['--port', '0', '--data-dir', dataDir, '--sandbox', '--no-tunnel'],
      h.deps,
    );
    const ready = await h.ready;

    expect(h.stdout).toHaveLength(1);
    expect(h.stdout[0]).not.toContain('\n');
    expect(Object.keys(ready)).toEqual(['event', 'uiUrl', 'webhookUrl', 'mode', 'dataDir']);
    expect(ready.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(ready).toMatchObject({
      event: 'ready',
      webhookUrl: 'http://127.0.0.1:4100/webhook',
      mode: 'live',
      dataDir,
    });
    // Logs are JSON lines on stderr, and never carry the access token.
    const token = new URL(ready.uiUrl).searchParams.get('token') ?? '';
    expect(h.stderr.length).toBeGreaterThan(0);
    for (const line of h.stderr) expect(line).not.toContain(token);
    expect(() => h.stderr.map((line) => JSON.parse(line) as unknown)).not.toThrow();

    // The UI and the WebSocket answer at the advertised address, backed by the core's handlers.
    const port = Number(new URL(ready.uiUrl).port);
    const page = await rawRequest(port, '/');
    expect(page.status).toBe(200);
    // The page policy admits the core's sandbox emulator (its CDN stand-in) and nothing like it.
    expect(page.headers['content-security-policy']).toContain(
      "media-src 'self' https://lookaside.fbsbx.com https://*.cdninstagram.com https://*.fbcdn.net http://127.0.0.1:4900;",
    );
    const client = await connect(port, token);
    expect(await client.invoke('app:getStatus')).toMatchObject({ ok: true });

    h.signal();
    await expect(running).resolves.toBeUndefined();
    expect(h.steps).toEqual(['core.start', 'core.stop']);
    expect(h.uiPortAtCoreStop()).toBe(false);
    expect((await client.closed).code).toBe(1001);
    expect(h.stdout).toHaveLength(1);
  });

  it('builds the core with headless adapters, the options and the data dir', async () => {
    const h = harness({
      env: { INLET_DATA_DIR: path.join(home, 'from-env'), INLET_GRAPH_URL: 'http://127.0.0.1:9' },
    });
    const running = runServeCommand(['--port', '0', '--webhook-port', '4101'], h.deps);
    await h.ready;
    const deps = h.coreDeps();
    expect(deps.dataDir).toBe(path.join(home, 'from-env'));
    expect(existsSync(deps.dataDir)).toBe(true);
    expect(deps.options).toEqual({ webhookPort: 4101 });
    expect(deps.env).toBe(h.deps.env);
    expect(deps.tunnel).toBe(tunnel);
    expect(deps.cipher.isAvailable()).toBe(false);
    deps.kv.set('probe', { ok: true });
    expect(JSON.parse(readFileSync(path.join(deps.dataDir, 'settings.json'), 'utf8'))).toEqual({
      probe: { ok: true },
    });
    await deps.browser.open(new URL('https://www.instagram.com/oauth/authorize?state=s1'));
    expect(h.stderr).toContain(
      'inlet: open this address in your browser: https://www.instagram.com/oauth/authorize?state=s1',
    );
    h.signal();
    await running;
  });

  it('runs the core’s wake sequence when the wall clock jumps, as after a sleep', async () => {
    const h = harness({ env: { INLET_WAKE_CHECK_MS: '100' } });
    const running = runServeCommand(['--port', '0', '--data-dir', home, '--no-tunnel'], h.deps);
    await h.ready;
    // Timers stand still while the machine sleeps; a busy event loop holds them just the same.
    const asleepUntil = Date.now() + 500;
    while (Date.now() < asleepUntil);
    await vi.waitFor(() => expect(h.wakes()).toBe(1));
    h.signal();
    await running;
  });

  it('fails on an unknown flag before building anything', async () => {
    const h = harness();
    const failure = runServeCommand(['--prot', '0'], h.deps);
    await expect(failure).rejects.toMatchObject({ exitCode: 2 });
    await expect(failure).rejects.toThrow("Unknown option '--prot'");
    expect(h.steps).toEqual([]);
    expect(h.stdout).toEqual([]);
  });

  it('prints usage on stdout for --help and starts nothing', async () => {
    const h = harness();
    await runServeCommand(['--help'], { ...h.deps, stdout: (line) => h.stdout.push(line) });
    expect(h.stdout).toEqual([expect.stringContaining('Usage: inlet serve')]);
    expect(h.steps).toEqual([]);
  });

  describe('when the UI port is taken', () => {
    let blocker: Server;
    let port: number;
    beforeEach(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('stops the core and names the --port flag', async () => {
      const h = harness();
      const failure = runServeCommand(
        ['--port', String(port), '--data-dir', path.join(home, 'd')],
        h.deps,
      );
      await expect(failure).rejects.toBeInstanceOf(CommandError);
      await expect(failure).rejects.toMatchObject({ exitCode: 1 });
      await expect(failure).rejects.toThrow(
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*--port N`),
      );
      expect(h.steps).toEqual(['core.start', 'core.stop']);
      expect(h.stdout).toEqual([]);
    });

    it('names INLET_PORT when that is where the port came from', async () => {
      const h = harness({
        env: { INLET_PORT: String(port), INLET_DATA_DIR: path.join(home, 'd') },
      });
      await expect(runServeCommand([], h.deps)).rejects.toThrow(/Set INLET_PORT to another port/);
    });
  });

  it('refuses an INLET_VAULT_KEY too short to be a passphrase, before starting anything', async () => {
    const h = harness({ env: { INLET_VAULT_KEY: 'short' } });
    const failure = runServeCommand(['--port', '0', '--data-dir', path.join(home, 'd')], h.deps);
    await expect(failure).rejects.toMatchObject({ exitCode: 1 });
    await expect(failure).rejects.toThrow('INLET_VAULT_KEY must be at least 12 characters');
    expect(h.steps).toEqual([]);
  });

  it('gives the core a real cipher when INLET_VAULT_KEY is set, memory-only otherwise', async () => {
    const withKey = harness({ env: { INLET_VAULT_KEY: 'a long enough passphrase' } });
    const dataDir = path.join(home, 'vault');
    const stopped = runServeCommand(['--port', '0', '--data-dir', dataDir], withKey.deps);
    await withKey.ready;
    expect(withKey.coreDeps().cipher.isAvailable()).toBe(true);
    withKey.signal();
    await stopped;
    const without = harness();
    const stoppedToo = runServeCommand(['--port', '0', '--data-dir', dataDir], without.deps);
    await without.ready;
    expect(without.coreDeps().cipher.isAvailable()).toBe(false);
    without.signal();
    await stoppedToo;
  });

  it('without INLET_VAULT_KEY gives the core a cipher keyed from the OS keyring when there is one', async () => {
    const secretTool = fakeSecretTool();
    const h = harness({ secretTool });
    const stopped = runServeCommand(['--port', '0', '--data-dir', path.join(home, 'k')], h.deps);
    await h.ready;
    expect(h.coreDeps().cipher.isAvailable()).toBe(true);
    expect(secretTool.items.size).toBe(1);
    h.signal();
    await stopped;
  });

  it('stops the core and rethrows when the core fails to start', async () => {
    const h = harness({ start: () => Promise.reject(new Error('archive locked')) });
    await expect(
      runServeCommand(['--port', '0', '--data-dir', path.join(home, 'd')], h.deps),
    ).rejects.toThrow('archive locked');
    expect(h.steps).toEqual(['core.start', 'core.stop']);
    expect(h.stdout).toEqual([]);
  });

  it('skips the ready line and shuts down when a signal arrives during start-up', async () => {
    const h = harness({
      start: (signal) => {
        signal();
        return Promise.resolve();
      },
    });
    const stdout = vi.fn();
    await runServeCommand(['--port', '0', '--data-dir', path.join(home, 'd')], {
      ...h.deps,
      stdout,
    });
    expect(stdout).not.toHaveBeenCalled();
    expect(h.steps).toEqual(['core.start', 'core.stop']);
  });
});
