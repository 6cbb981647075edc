import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { waitFor } from './wait.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, payload]);
}

/**
 * Slack's Socket Mode endpoint, just enough of it: a WebSocket server (RFC 6455 text frames,
 * ping/pong, close) that says hello, delivers envelopes and records the client's acks.
 */
export class FakeSocketMode {
  readonly acks: Array<Record<string, unknown>> = [];
  private socket: Duplex | undefined;
  private buffered = Buffer.alloc(0);
  private opened = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeSocketMode> {
    const server = createServer((_req, res) => {
      res.writeHead(426);
      res.end();
    });
    const fake = new FakeSocketMode(server);
    server.on('upgrade', (req, socket) => fake.accept(String(req.headers['sec-websocket-key']), socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  async deliver(envelope: Record<string, unknown>): Promise<void> {
    const socket = await waitFor(() => this.socket, 'the Socket Mode client to connect');
    socket.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
  }

  /** Drops the current connection, as Slack does when it rotates one or the network fails. */
  drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  /** How many connections the client has opened so far. */
  get connections(): number {
    return this.opened;
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private accept(key: string, socket: Duplex): void {
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => this.read(socket, chunk));
    socket.on('error', () => undefined);
    this.socket = socket;
    this.opened += 1;
    socket.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A111' } }))));
  }

  /** Client frames are masked; text frames are acks, pings get pongs, close ends the connection. */
  private read(socket: Duplex, chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      if (this.buffered.length < 2) return;
      const opcode = this.buffered[0]! & 0x0f;
      let length = this.buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        length = this.buffered.readUInt16BE(2);
        offset = 4;
      }
      if (this.buffered.length < offset + 4 + length) return;
      const mask = this.buffered.subarray(offset, offset + 4);
      const payload = Buffer.from(this.buffered.subarray(offset + 4, offset + 4 + length).map((byte, index) => byte ^ mask[index % 4]!));
      this.buffered = this.buffered.subarray(offset + 4 + length);
      if (opcode === 0x1) this.acks.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
      if (opcode === 0x9) socket.write(frame(0xa, payload));
      if (opcode === 0x8) socket.end(frame(0x8, Buffer.alloc(0)));
    }
  }
}
