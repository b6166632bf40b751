import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { rawExchange } from '../core/http/raw-http';

const REPO = path.resolve(import.meta.dirname, '../../../..');

it('the real `inlet serve` keeps serving after GET //x:99999/ and GET //[ on both listeners', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'inlet-serve-process-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('INLET_')),
  );
  const child = spawn(
    process.execPath,
    [
      path.join(REPO, 'node_modules/tsx/dist/cli.mjs'),
      path.join(REPO, 'main/cli/index.ts'),
      'serve',
      '--sandbox',
      '--no-tunnel',
      '--port',
      '0',
      '--webhook-port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr.resume();
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`inlet serve exited with ${code}`)));
    });
    const ready = JSON.parse(line) as { uiUrl: string; webhookUrl: string };
    const ports = [Number(new URL(ready.uiUrl).port), Number(new URL(ready.webhookUrl).port)];
    for (const port of ports) {
      for (const target of ['//x:99999/', '//[']) {
        const answer = await rawExchange(
          port,
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
        );
        expect(answer.status).not.toBeNull();
        expect(answer.status).not.toBe(500); // the UI answers 503 while it is not built
      }
    }
    expect(child.exitCode).toBeNull();
    expect((await fetch(ready.uiUrl)).status).not.toBe(500);
    expect((await fetch(ready.webhookUrl)).status).toBe(403); // handshake without a token
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
