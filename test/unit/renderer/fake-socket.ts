import type { SocketLike } from '../../../renderer/src/ws-bridge';

/** Stands in for the browser WebSocket: the test plays the server side of every frame. */
export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  readonly sent: unknown[] = [];
  isClosed = false;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static latest(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (socket === undefined) throw new Error('no socket was opened');
    return socket;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.isClosed = true;
  }

  serverOpens(): void {
    this.onopen?.(new Event('open'));
  }

  serverSends(frame: unknown): void {
    this.onmessage?.(
      new MessageEvent('message', {
        data: typeof frame === 'string' ? frame : JSON.stringify(frame),
      }),
    );
  }

  serverCloses(): void {
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }
}
