import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { benchRequests, LoadClient, type BenchRequest, type Delivery } from './load.js';
import { BenchSlackApi } from './slack-api.js';
import { percentile, round } from './stats.js';
import { BENCH_SECRET, Target } from './target.js';

export interface BenchSettings {
  /** requests kept in flight by the closed-loop phases */
  concurrency: number;
  /** requests in each ack-throughput phase */
  ackRequests: number;
  /** the fixed arrival rate at which latencies are measured, per second */
  rate: number;
  rateSeconds: number;
  sustainSeconds: number;
}

export interface BenchReport {
  baseline: { rps: number };
  aiops: {
    ackRps: number;
    ackP50Ms: number;
    ackP99Ms: number;
    turnP50Ms: number;
    turnP99Ms: number;
    turnsPerSecond: number;
    rssMb: number;
    /** CPU time of the aiops process per turn in the sustained phase (ack and turn together) */
    cpuMsPerTurn: number;
    storeRequestsPerTurn: number;
  };
  ratio: number;
  settings: BenchSettings & { cpus: number; node: string };
}

export const DEFAULT_SETTINGS: BenchSettings = { concurrency: 32, ackRequests: 2000, rate: 100, rateSeconds: 10, sustainSeconds: 10 };
const WARMUP = 400;
const REPLY_TIMEOUT_MS = 300_000;

/**
 * `aiops bench`: the same signed `/aiops status` commands and `app_mention` events sent to a bare
 * Bolt app and to aiops (embedded store, offline grammar, replies to a local Slack API server).
 */
export async function runBench(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      requests: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  const settings: BenchSettings = {
    concurrency: Number(values.concurrency ?? DEFAULT_SETTINGS.concurrency),
    ackRequests: Number(values.requests ?? DEFAULT_SETTINGS.ackRequests),
    rate: Number(values.rate ?? DEFAULT_SETTINGS.rate),
    rateSeconds: Number(values.seconds ?? DEFAULT_SETTINGS.rateSeconds),
    sustainSeconds: Number(values.seconds ?? DEFAULT_SETTINGS.sustainSeconds),
  };
  const progress = (line: string) => {
    if (!values.json) out.write(`${line}\n`);
  };
  const report = await measure(settings, progress);
  out.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  return 0;
}

async function measure(settings: BenchSettings, progress: (line: string) => void): Promise<BenchReport> {
  const api = await BenchSlackApi.start();
  let offset = 0;
  const batch = (count: number): BenchRequest[] => {
    const items = benchRequests(count, offset, `${api.apiUrl.replace(/api\/$/, '')}response`);
    offset += count;
    return items;
  };
  try {
    progress(`baseline: bare Bolt app, ${settings.ackRequests} requests at concurrency ${settings.concurrency}`);
    const baseline = await Target.start('baseline', api.apiUrl);
    const baselineClient = new LoadClient(baseline.url, BENCH_SECRET, settings.concurrency);
    await baselineClient.closedLoop(batch(WARMUP), settings.concurrency);
    const baselineRun = await baselineClient.closedLoop(batch(settings.ackRequests), settings.concurrency);
    expectAcked(baselineRun.deliveries, 'baseline');
    baselineClient.close();
    await baseline.stop();

    progress('aiops: embedded store, offline grammar, replies to the local Slack API server');
    const aiops = await Target.start('aiops', api.apiUrl);
    const client = new LoadClient(aiops.url, BENCH_SECRET, Math.max(settings.concurrency, 256));
    await client.closedLoop(batch(WARMUP), settings.concurrency, (delivery) => replied(api, delivery));

    progress(`  ack throughput: ${settings.ackRequests} requests at concurrency ${settings.concurrency}`);
    const ackRun = await client.closedLoop(batch(settings.ackRequests), settings.concurrency);
    expectAcked(ackRun.deliveries, 'aiops');
    await Promise.all(ackRun.deliveries.map((delivery) => replied(api, delivery)));

    progress(`  latency: ${settings.rate} turns/s for ${settings.rateSeconds} s`);
    const rateRun = await client.fixedRate(batch(settings.rate * settings.rateSeconds), settings.rate);
    expectAcked(rateRun.deliveries, 'aiops');
    await Promise.all(rateRun.deliveries.map((delivery) => replied(api, delivery)));
    const turnMs = rateRun.deliveries.map((delivery) => api.replyAt(delivery.channel)! - delivery.sentAt);

    progress(`  sustained: each of ${settings.concurrency} clients waits for its reply, ${settings.sustainSeconds} s`);
    const before = await aiops.stats();
    const sustain = await sustained(client, api, batch, settings);
    const after = await aiops.stats();
    client.close();
    await aiops.stop();

    const baselineRps = (baselineRun.deliveries.length / baselineRun.elapsedMs) * 1000;
    const ackRps = (ackRun.deliveries.length / ackRun.elapsedMs) * 1000;
    const acks = rateRun.deliveries.map((delivery) => delivery.ackMs);
    return {
      baseline: { rps: round(baselineRps) },
      aiops: {
        ackRps: round(ackRps),
        ackP50Ms: round(percentile(acks, 0.5), 2),
        ackP99Ms: round(percentile(acks, 0.99), 2),
        turnP50Ms: round(percentile(turnMs, 0.5), 2),
        turnP99Ms: round(percentile(turnMs, 0.99), 2),
        turnsPerSecond: round(sustain.perSecond),
        rssMb: round(after.rssMb),
        cpuMsPerTurn: round((after.cpuMs - before.cpuMs) / sustain.turns, 2),
        storeRequestsPerTurn: round((after.storeRequests - before.storeRequests) / sustain.turns, 1),
      },
      ratio: round(ackRps / baselineRps, 3),
      settings: { ...settings, cpus: availableParallelism(), node: process.version },
    };
  } finally {
    await api.close();
  }
}

async function sustained(client: LoadClient, api: BenchSlackApi, batch: (count: number) => BenchRequest[], settings: BenchSettings): Promise<{ turns: number; perSecond: number }> {
  const deadline = performance.now() + settings.sustainSeconds * 1000;
  let turns = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (performance.now() < deadline) {
        const delivery = await client.send(batch(1)[0]!);
        await replied(api, delivery);
        turns += 1;
      }
    }),
  );
  return { turns, perSecond: (turns / (performance.now() - started)) * 1000 };
}

function replied(api: BenchSlackApi, delivery: Delivery): Promise<void> {
  return Promise.race([
    api.reply(delivery.channel),
    new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error(`no reply for ${delivery.channel} within ${REPLY_TIMEOUT_MS / 1000} s`)), REPLY_TIMEOUT_MS).unref()),
  ]);
}

function expectAcked(deliveries: Delivery[], target: string): void {
  const failed = deliveries.filter((delivery) => delivery.status !== 200);
  if (failed.length > 0) throw new Error(`${target}: ${failed.length} of ${deliveries.length} requests were not acked with 200 (first: ${failed[0]!.status})`);
}

export function formatReport(report: BenchReport): string {
  const { aiops, settings } = report;
  return [
    '',
    `ack throughput   baseline ${report.baseline.rps} req/s   aiops ${aiops.ackRps} req/s   ratio ${report.ratio}`,
    `at ${settings.rate} turns/s    ack p50 ${aiops.ackP50Ms} ms  p99 ${aiops.ackP99Ms} ms   turn p50 ${aiops.turnP50Ms} ms  p99 ${aiops.turnP99Ms} ms`,
    `sustained        ${aiops.turnsPerSecond} turns/s (each client waits for its reply, concurrency ${settings.concurrency})`,
    `per turn         ${aiops.cpuMsPerTurn} ms CPU, ${aiops.storeRequestsPerTurn} DynamoDB requests`,
    `peak RSS         ${aiops.rssMb} MB (aiops process, embedded store included)`,
    `machine          ${settings.cpus} CPUs, Node ${settings.node}`,
    '',
  ].join('\n');
}
