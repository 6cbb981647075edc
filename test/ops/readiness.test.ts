import { afterEach, describe, expect, it } from 'vitest';
import { opsRoutes, Readiness } from '../../src/http/ops-routes.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { Metrics } from '../../src/metrics/registry.js';
import { startEmbeddedDynamo } from '../../src/sessions/embedded.js';
import { openStore } from '../../src/sessions/store.js';
import { captureLogs } from '../support/log-capture.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

async function serve(ping: () => Promise<void>, readiness: Readiness, pingTimeoutMs?: number): Promise<string> {
  await http?.close();
  http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    log: captureLogs().log,
    routes: opsRoutes({ store: { ping }, metrics: new Metrics(), readiness, ...(pingTimeoutMs ? { pingTimeoutMs } : {}) }),
  });
  return http.url;
}

const get = async (url: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

const started = (adapters: string[] = ['slack']): Readiness => {
  const readiness = new Readiness(adapters);
  readiness.adaptersStarted();
  return readiness;
};

describe('/readyz', () => {
  it('is ready when the real store answers and the adapters started', async () => {
    const opened = await openStore({ endpoint: store.endpoint(), tablePrefix: store.prefix(), createTables: true });
    try {
      const url = await serve(() => opened.ping(), started(['slack', 'teams']));
      expect(await get(`${url}/readyz`)).toEqual({ status: 200, body: { status: 'ready', adapters: ['slack', 'teams'] } });
      expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      await opened.close();
    }
  });

  it('is 503 naming the store when it refuses connections, while /healthz stays 200', async () => {
    const server = await startEmbeddedDynamo();
    const opened = await openStore({ endpoint: server.endpoint, tablePrefix: store.prefix(), createTables: true });
    await server.close();
    try {
      const url = await serve(() => opened.ping(), started());
      expect(await get(`${url}/readyz`)).toEqual({ status: 503, body: { status: 'unready', reasons: ['store: ECONNREFUSED'] } });
      expect((await get(`${url}/healthz`)).status).toBe(200);
    } finally {
      await opened.close();
    }
  });

  it('is 503 when the store does not answer in time, without the error text', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const url = await serve(() => hanging, started(), 50);
    expect(await get(`${url}/readyz`)).toEqual({ status: 503, body: { status: 'unready', reasons: ['store: no answer within 0.05 s'] } });
    release();
    const failing = await serve(async () => {
      throw Object.assign(new Error('secret-ish detail at /internal/path'), { name: 'AccessDeniedException' });
    }, started());
    const answer = await get(`${failing}/readyz`);
    expect(answer).toEqual({ status: 503, body: { status: 'unready', reasons: ['store: AccessDeniedException'] } });
  });

  it('is 503 until the configured adapters have started, and again once shutting down', async () => {
    let pings = 0;
    const readiness = new Readiness(['slack']);
    const url = await serve(async () => void (pings += 1), readiness);
    expect(await get(`${url}/readyz`)).toEqual({ status: 503, body: { status: 'unready', reasons: ['chat adapters not started yet: slack'] } });
    readiness.adaptersStarted();
    expect((await get(`${url}/readyz`)).status).toBe(200);
    readiness.shuttingDown();
    expect(await get(`${url}/readyz`)).toEqual({ status: 503, body: { status: 'unready', reasons: ['shutting down'] } });
    expect(pings).toBe(1);
  });

  it('needs no adapter when none is configured (alerts only)', async () => {
    const url = await serve(async () => undefined, new Readiness([]));
    expect((await get(`${url}/readyz`)).status).toBe(200);
  });
});
