/**
 * One benchmark target in its own process (so the load generator does not share its event loop):
 * `baseline` (a bare Bolt app) or `aiops` (the real composition: embedded store, offline grammar,
 * Slack over HTTP on our server). It reports its URL, then its peak RSS when asked.
 */
import { buildApp } from '../app.js';
import { startBareBolt } from '../bot/slack/baseline.js';
import { startSlack } from '../bot/slack/adapter.js';
import { loadConfig } from '../config.js';
import { startHttpServer } from '../http/server.js';
import { createLogger } from '../log.js';
import { quietNodeVersionWarning } from '../quiet-warnings.js';
import { BENCH_SECRET, BENCH_TOKEN } from './target.js';

type Message = { type: 'stats' } | { type: 'stop' };

/** DynamoDB requests made so far (aiops only), to explain what a turn costs. */
let storeRequests = 0;

async function main(): Promise<void> {
  quietNodeVersionWarning();
  const [target, apiUrl] = process.argv.slice(2);
  if (!apiUrl || (target !== 'baseline' && target !== 'aiops')) throw new Error('usage: server.ts baseline|aiops <slack api url>');
  let url: string;
  let close: () => Promise<void>;
  if (target === 'baseline') {
    ({ url, close } = await startBareBolt({ signingSecret: BENCH_SECRET, botToken: BENCH_TOKEN, apiUrl }));
  } else {
    // the benchmark user is an ordinary viewer, so every turn looks its role up as it would in production
    const config = loadConfig({ SLACK_BOT_TOKEN: BENCH_TOKEN, SLACK_SIGNING_SECRET: BENCH_SECRET, SLACK_API_URL: apiUrl });
    // production logging (info, JSON to stdout, which the benchmark discards): its cost is part of a turn
    const log = createLogger({ level: 'info', secrets: config.secrets });
    const app = await buildApp(config, { log, inMemory: true });
    app.store.client.middlewareStack.add(
      (next) => async (args) => {
        storeRequests += 1;
        return next(args);
      },
      { step: 'initialize', name: 'benchCountRequests' },
    );
    const http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
    const slack = await startSlack({ config: config.slack!, engine: app.engine, store: app.store, log, http });
    url = `${http.url}/slack/events`;
    close = async () => {
      await http.close();
      await app.engine.drain(10_000);
      await slack.close();
      await app.close();
    };
  }
  process.on('message', (message: Message) => {
    if (message.type === 'stats') {
      const usage = process.resourceUsage();
      process.send?.({ type: 'stats', rssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, storeRequests });
    }
    if (message.type === 'stop') void close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
