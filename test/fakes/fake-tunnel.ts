import { createServer, connect, type Server, type Socket } from 'node:net';
import type { TunnelProvider, TunnelSession } from '../../main/core/ports';

type OpenOptions = Parameters<TunnelProvider['open']>[0];

/**
 * A TunnelProvider for tests. Each session is a real TCP forwarder on 127.0.0.1 to the listener's
 * port (what ngrok does from its edge), so requests "through the tunnel" hit the real server.
 * Connects can be made to fail, and an open session can be dropped and restored.
 */
export class FakeTunnelProvider implements TunnelProvider {
  readonly opened: { options: OpenOptions; closed: boolean }[] = [];
  readonly #failures: Error[] = [];
  #last: { options: OpenOptions; server: Server; sockets: Set<Socket> } | null = null;

  /** The next `count` connects reject with `error`. */
  failNext(count: number, error: Error): void {
    for (let index = 0; index < count; index += 1) this.#failures.push(error);
  }

  async open(options: OpenOptions): Promise<TunnelSession> {
    const failure = this.#failures.shift();
    if (failure) throw failure;
    const record = { options, closed: false };
    this.opened.push(record);
    const sockets = new Set<Socket>();
    const server = createServer((incoming) => {
      const outgoing = connect(options.localPort, '127.0.0.1');
      for (const socket of [incoming, outgoing]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      incoming.pipe(outgoing).pipe(incoming);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.#last = { options, server, sockets };
    return {
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        record.closed = true;
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  /** The newest session loses its connection to the "edge". */
  drop(reason = 'network unreachable'): void {
    this.#last?.options.onDisconnected?.(reason);
  }

  /** The newest session came back by itself. */
  restore(): void {
    this.#last?.options.onReconnected?.();
  }
}
