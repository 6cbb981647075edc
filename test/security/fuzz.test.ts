import { connect } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { FakeConnector } from '../support/fake-connector.js';
import { RunningServer } from '../support/server.js';
import { SnsSigner, TOPIC } from '../support/sns.js';
import { gitlabCases, otherCases, slackCases, snsCases, teamsCases, type FuzzCase } from './fuzz/cases.js';

/**
 * Oversized and malformed payloads: seeded mutations of the published fixtures (truncation, type
 * flips, huge strings, deep nesting, duplicate and prototype keys, missing fields, invalid UTF-8,
 * odd Unicode, wrong content types, bad and valid signatures on mutated bodies) against every
 * route aiops serves as `aiops start` composes it, in parallel. Every answer must be a 4xx, or
 * the 200 a platform's protocol wants for "received, dropped" (or 501, Bot Framework's answer
 * to an invoke a bot does not implement); never a 5xx, never a stack trace; and aiops keeps
 * serving. SNS's own endpoints (certificates, confirmations) answer normally here, so a 5xx that
 * means "SNS, try again" would be wrong too.
 */

const store = useEmbeddedStore();
const signer = new SnsSigner(new Date());
const GITLAB_WEBHOOK_SECRET = 'fuzz-webhook-secret';
const CONCURRENCY = 24;
let server: RunningServer;
let connector: FakeConnector;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock(/^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:443)?$/)
    .persist()
    .get(/\.pem$/)
    .reply(200, signer.certificate.pem, { 'content-type': 'application/x-pem-file' })
    .get(/.*/)
    .reply(200, '<ConfirmSubscriptionResponse/>');
  connector = await FakeConnector.start();
  server = await RunningServer.start(store, {
    AIOPS_TEAMS: 'true',
    AIOPS_SNS_TOPICS: TOPIC,
    AIOPS_ALERT_CHANNEL: 'slack:C0ALERTS',
    GITLAB_WEBHOOK_SECRET,
  });
  await server.grant('slack:U061F7AUR', 'devops');
});
afterAll(async () => {
  await server?.close();
  await connector?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

interface Outcome {
  fuzz: FuzzCase;
  status: number;
  body: string;
}

/** Marks of a stack trace or a source path in an answer. */
const LEAKS = /\n\s*at |\.[cm]?[jt]s:\d+|node_modules|\/src\//;

async function send(fuzz: FuzzCase): Promise<Outcome> {
  const response = await fetch(`${server.url}${fuzz.path}`, { method: fuzz.method, headers: fuzz.headers, ...(fuzz.body ? { body: fuzz.body } : {}) });
  return { fuzz, status: response.status, body: await response.text() };
}

async function runAll(cases: FuzzCase[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const fuzz = cases[next++]!;
      outcomes.push(await send(fuzz));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

const count = (outcomes: Outcome[], family: string, statuses: (status: number) => boolean): number =>
  outcomes.filter((outcome) => outcome.fuzz.family === family && statuses(outcome.status)).length;

describe('mutated fixtures on every route', () => {
  it('are answered 4xx (or the protocol\'s 200), never 5xx or a stack trace, and aiops keeps serving', async () => {
    const routes = server.running.http!.routes.map((route) => ({ method: route.method, path: route.path }));
    const families: Record<string, () => FuzzCase[]> = {
      '/slack/events': () => slackCases(500, 0x51ac, server.slack.responseUrl()),
      '/api/messages': () => teamsCases(360, 0x7ea5, connector.serviceUrl),
      '/webhooks/sns': () => snsCases(300, 0x5e5, signer),
      '/webhooks/gitlab': () => gitlabCases(160, 0x6e1, GITLAB_WEBHOOK_SECRET),
    };
    const posts = routes.filter((route) => route.method === 'POST').map((route) => route.path);
    expect(posts.filter((path) => !families[path]), 'a POST route without mutations here: add a family for it').toEqual([]);
    const mutants = posts.flatMap((path) => families[path]!());
    expect(mutants.length).toBeGreaterThanOrEqual(1000);
    const cases = [...mutants, ...otherCases(routes)];

    const outcomes = await runAll(cases);
    if (process.env.FUZZ_SUMMARY) {
      const table: Record<string, Record<number, number>> = {};
      for (const { fuzz, status } of outcomes) (table[fuzz.family] ??= {})[status] = (table[fuzz.family]?.[status] ?? 0) + 1;
      console.log(outcomes.length, JSON.stringify(table));
    }
    const wrong = outcomes
      .filter((outcome) => !outcome.fuzz.allowed.includes(outcome.status) || LEAKS.test(outcome.body))
      .map((outcome) => `${outcome.fuzz.family} ${outcome.fuzz.name} -> ${outcome.status} ${outcome.body.slice(0, 200)}`);
    expect(wrong).toEqual([]);

    // the mutations reach both sides: refused at the door, and accepted far enough to be handled
    for (const family of ['slack', 'teams', 'sns']) {
      expect(count(outcomes, family, (status) => status === 200), `${family} accepted`).toBeGreaterThan(20);
      expect(count(outcomes, family, (status) => status === 400), `${family} malformed`).toBeGreaterThan(20);
    }
    expect(count(outcomes, 'slack', (status) => status === 401)).toBeGreaterThan(20);
    expect(count(outcomes, 'sns', (status) => status === 401)).toBeGreaterThan(5);
    expect(outcomes.some((outcome) => outcome.status === 413)).toBe(true);

    await server.idle();
    // nothing a mutant made a turn do ended in an unexpected error
    const said = JSON.stringify([server.slack.calls.map((call) => call.args.text), connector.calls.map((call) => call.activity.summary)]);
    expect(said.match(/Something went wrong[^"]*/g) ?? []).toEqual([]);
    expect(server.errors()).toEqual([]);
    expect((await server.request('/healthz')).status).toBe(200);
    expect((await server.request('/readyz')).status).toBe(200);
    expect(server.slack.of('auth.test')).toHaveLength(1);
  });
});

/** Bytes that are not HTTP at all, straight onto the socket. */
function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(new URL(server.url).port ? Number(new URL(server.url).port) : 80, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.write(request, 'latin1', () => setTimeout(() => socket.end(), 200));
  });
}

describe('requests that are not HTTP', () => {
  it('are refused by the server with a 4xx or closed, and nothing breaks', async () => {
    const requests = [
      'BLAH\r\n\r\n',
      'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /healthz/../metrics HTTP/1.1\r\nHost: x\r\n\r\n',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: \u0001\r\n\r\n',
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      '\u0000\u0001\u0002\u00ff',
    ];
    for (const request of requests) {
      const answer = await raw(request);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      if (status) expect(Number(status), JSON.stringify(request.slice(0, 40))).toBeGreaterThanOrEqual(400);
      if (status) expect(Number(status)).toBeLessThan(500);
      expect(answer).not.toMatch(LEAKS);
    }
    expect((await server.request('/healthz')).status).toBe(200);
  });
});
