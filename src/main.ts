import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildApp, type App } from './app.js';
import { createGitLabFailures } from './sources/gitlab/index.js';
import { ConsoleChat } from './bot/console/console.js';
import { startPlatforms, type Platforms } from './bot/platforms.js';
import type { Config } from './config.js';
import { opsRoutes, Readiness } from './http/ops-routes.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { createLogger, type Logger } from './log.js';
import { toolChoiceFor } from './intents/llm-prompt.js';
import { createAlerting } from './sources/alerting.js';
import { ClaudeIncidentAnalyst } from './sources/claude-analyst.js';
import { shutDown } from './shutdown.js';

export type StartMode = 'auto' | 'console' | 'server';

export interface Running {
  app: App;
  http: HttpServer | undefined;
  /** Slack and Teams, when configured; their notifiers are on app.notifier */
  platforms: Platforms;
  console: ConsoleChat | undefined;
  /** resolves when the process should exit (console closed, or shutdown finished) */
  done: Promise<void>;
  shutdown(reason: string): Promise<void>;
}

export interface StartOptions {
  mode: StartMode;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** install SIGTERM/SIGINT handlers (the CLI does; tests do not) */
  handleSignals?: boolean;
  /** log here instead of stdout (tests read what the server logged) */
  log?: Logger;
}

function consoleWanted(config: Config, options: StartOptions): boolean {
  if (options.mode === 'console') return true;
  if (options.mode === 'server') return false;
  return Boolean(options.stdin.isTTY) && !config.slack && !config.teams;
}

function loggerFor(config: Config, useConsole: boolean): { log: Logger; where: string } {
  if (!useConsole) return { log: createLogger({ level: config.logLevel, secrets: config.secrets }), where: 'stdout' };
  // the terminal belongs to the chat; logs go to a file next to the embedded store
  mkdirSync(config.dataDir, { recursive: true });
  const where = join(config.dataDir, 'aiops.log');
  return { log: createLogger({ level: config.logLevel, secrets: config.secrets, destination: pino.destination({ dest: where, sync: false }) }), where };
}

/** The composition root: config -> store -> engine -> adapters -> HTTP server (and the console). */
export async function start(config: Config, options: StartOptions): Promise<Running> {
  const useConsole = consoleWanted(config, options);
  const { log, where } = options.log ? { log: options.log, where: 'the given logger' } : loggerFor(config, useConsole);
  const operator = `console:${config.consoleUser}`;
  const app = await buildApp(config, { log, ...(useConsole ? { extraAdmins: [operator] } : {}) });
  const alerting = createAlerting(app, {
    notifier: app.notifier,
    ...(app.llm ? { analyst: new ClaudeIncidentAnalyst(app.llm.gateway, app.llm.model, toolChoiceFor(app.llm.model)) } : {}),
  });

  const readiness = new Readiness([...(config.slack ? ['slack'] : []), ...(config.teams ? ['teams'] : [])]);
  let http: HttpServer | undefined;
  try {
    http = await startHttpServer({
      port: config.port,
      log,
      routes: [...opsRoutes({ store: app.store, metrics: app.metrics, readiness }), ...alerting.routes],
      observe: ({ route, status }) => app.metrics.observeHttp(route, status),
    });
    log.info({ port: http.port }, 'HTTP server listening');
  } catch (error) {
    if (!useConsole) {
      await app.close();
      throw error;
    }
    log.warn({ err: error }, 'HTTP server not started; the console works without it');
  }

  let platforms: Platforms;
  try {
    platforms = await startPlatforms(app, http, (platform, down) => readiness.connection(platform, down));
  } catch (error) {
    await http?.close();
    await app.close();
    throw error;
  }
  readiness.adaptersStarted();
  app.metrics.probes.queues.push(
    { queue: 'turns', depth: () => platforms.turns.depth },
    ...(platforms.slack ? [{ queue: 'slack', depth: () => platforms.slack?.notifier.pending ?? 0 }] : []),
    ...(platforms.teams ? [{ queue: 'teams', depth: () => platforms.teams?.notifier.pending ?? 0 }] : []),
  );
  app.metrics.enableProcessMetrics();
  // pick up deployments a previous process (or a dead replica) was watching, now that notifiers are registered
  app.tracker?.start();
  // failed GitLab pipelines: POST /webhooks/gitlab, and the watcher of auto-fix outcomes
  const gitlabFailures = createGitLabFailures(app, { notifier: app.notifier });
  for (const route of gitlabFailures.routes) http?.add(route);
  gitlabFailures.start();

  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> =>
    (stopping ??= shutDown({ log, app, http, platforms, readiness, background: [alerting, gitlabFailures] }, reason)
      .catch((error: unknown) => log.error({ err: error }, 'shutdown failed'))
      .finally(finished));

  alerting.start();
  let chat: ConsoleChat | undefined;
  if (useConsole) {
    options.stdout.write(`aiops ${config.dryRun ? '(dry-run) ' : ''}on the embedded store in ${config.dataDir}/ · logs in ${where}\n`);
    options.stdout.write(`You are ${config.consoleUser} (admin here). Try: grant bob devops, then /as bob.\n`);
    chat = new ConsoleChat({ engine: app.engine, input: options.stdin, output: options.stdout, user: config.consoleUser, color: Boolean(options.stdout.isTTY) });
    void chat.run().then(() => shutdown('console closed'));
  }
  if (options.handleSignals) handleSignals(shutdown, log);
  return { app, http, platforms, console: chat, done, shutdown };
}

/** After this, a process still shutting down is stopped hard (Kubernetes sends SIGKILL at 30 s). */
const HARD_STOP_MS = 25_000;

function handleSignals(shutdown: (reason: string) => Promise<void>, log: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }
    signalled = true;
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, HARD_STOP_MS).unref();
    void shutdown(signal).then(() => {
      // everything is closed; a handle some library left open must not keep the process up
      setTimeout(() => process.exit(0), 1_000).unref();
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
