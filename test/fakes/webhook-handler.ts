import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = {
  body: Buffer;
  signature: string | undefined;
  contentType: string | undefined;
};

/**
 * A developer's webhook handler on this machine, for forwarding tests: records each request it
 * receives, answers `answer()` (200 by default), and can go down and come back on its port.
 */
export async function startWebhookHandler(
  options: { port?: number; answer?: () => number } = {},
): Promise<{
  url: string;
  received: ReceivedWebhook[];
  stop: () => Promise<void>;
  restart: () => Promise<number>;
}> {
  const received: ReceivedWebhook[] = [];
  const answer = options.answer ?? (() => 200);
  let server: Server;
  const start = async (port: number) => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks),
          signature: request.headers['x-hub-signature-256'] as string | undefined,
          contentType: request.headers['content-type'],
        });
        response.writeHead(answer()).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const stop = () => {
    if (!server.listening) return Promise.resolve();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const bound = await start(options.port ?? 0);
  return { url: `http://127.0.0.1:${bound}/hook`, received, stop, restart: () => start(bound) };
}
