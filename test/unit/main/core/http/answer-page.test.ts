import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerPage } from '../../../../../main/core/http/answer-page';

let server: Server | null = null;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

async function served(title: string, text: string) {
  server = createServer((_request, response) => answerPage(response, 400, title, text));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

describe('answerPage: the page a browser sees when Inlet answers it directly', () => {
  it('allows no script or outside resource, keeps no copy and sends no referrer', async () => {
    const response = await served('Login failed', 'Try again.');
    expect(response.status).toBe(400);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    expect(await response.text()).toContain('<h1>Login failed</h1><p>Try again.</p>');
  });

  it('escapes what it is given, so a reason from outside cannot become markup', async () => {
    const html = await (await served('<b>x</b>', `"it's" & <script>`)).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;');
  });
});
