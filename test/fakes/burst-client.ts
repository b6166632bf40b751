import { spawn } from 'node:child_process';
import { signBody } from '../../main/core/webhook/signature';

/**
 * POSTs signed bodies all at once from a separate process and resolves with each status code (0
 * when the connection failed). A client in the server's own process would take turns with it on
 * one event loop and never produce a real burst.
 */
export function burstFromAnotherProcess(
  url: string,
  bodies: readonly string[],
  secret: string,
): Promise<number[]> {
  const requests = bodies.map((body) => ({ body, signature: signBody(body, secret) }));
  const script = `
    const { request } = require('node:http');
    const { url, requests } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    Promise.all(requests.map(({ body, signature }) => new Promise((resolve) => {
      const r = request(url, { method: 'POST', headers: {
        'content-type': 'application/json', 'x-hub-signature-256': signature,
        'content-length': Buffer.byteLength(body) } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        });
      r.on('error', () => resolve(0));
      r.end(body);
    }))).then((statuses) => process.stdout.write(JSON.stringify(statuses)));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`burst client exited with ${code}`));
      resolve(JSON.parse(output) as number[]);
    });
    child.stdin.end(JSON.stringify({ url, requests }));
  });
}
