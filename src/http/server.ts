import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | '*';
  /** exact path, or a prefix ending in "/*" */
  path: string;
  handler: Handler;
}

export interface HttpServer {
  server: Server;
  port: number;
  url: string;
  add(route: Route): void;
  /** the route table as it stands (tests that must cover every route read it) */
  readonly routes: readonly Route[];
  close(): Promise<void>;
}

/** What the server reports about each request once its response is done (metrics). */
export type RequestObserver = (request: { route: string; status: number }) => void;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * One HTTP server for everything aiops exposes: health, metrics, Slack, Teams and webhooks.
 * Routing is a small table; a handler that throws answers 500 without the stack.
 */
export async function startHttpServer(options: { port: number; host?: string; log: Logger; routes?: Route[]; observe?: RequestObserver }): Promise<HttpServer> {
  const routes: Route[] = [...(options.routes ?? [])];
  const find = (method: string, path: string): Route | undefined =>
    routes.find((route) => (route.method === '*' || route.method === method) && (route.path === path || (route.path.endsWith('/*') && path.startsWith(route.path.slice(0, -1)))));

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = find(req.method ?? 'GET', path);
    const { observe } = options;
    // the route's declared path (never the requested one) keeps the metric's label values few
    if (observe) res.once('close', () => observe({ route: route?.path ?? 'unmatched', status: res.statusCode }));
    if (!route) {
      const allowed = routes.some((candidate) => candidate.path === path);
      sendJson(res, allowed ? 405 : 404, { error: allowed ? 'method not allowed' : 'not found' });
      return;
    }
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        options.log.error({ err: error, path }, 'request handler failed');
        sendJson(res, 500, { error: 'internal error' });
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    add: (route) => routes.push(route),
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** A request header's value (the first, when it came more than once). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Answers with a bare status, unless an answer already went out. */
export function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/** The body, or undefined once a 400/413 saying why has been sent (too large, aborted mid-way). */
export async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limitBytes);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    sendJson(res, error.status, { error: error.message });
    return undefined;
  }
}

/** Reads a request body up to a limit; oversized bodies are refused without being buffered. */
export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new BodyError(413, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limitBytes) throw new BodyError(413, 'body too large');
      chunks.push(buffer);
    }
  } catch (error) {
    // the client went away mid-body: its problem, not a server error
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') throw new BodyError(400, 'request aborted');
    throw error;
  }
  return Buffer.concat(chunks);
}
