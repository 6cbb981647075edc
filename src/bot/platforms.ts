import type { App } from '../app.js';
import type { HttpServer } from '../http/server.js';
import { startSlack, type SlackAdapter } from './slack/adapter.js';
import { startTeams, type TeamsAdapter } from './teams/adapter.js';
import { TurnQueue } from './turn-queue.js';

export interface Platforms {
  slack: SlackAdapter | undefined;
  teams: TeamsAdapter | undefined;
  /** the turns of every adapter, in one line (shutdown waits for it; metrics read its depth) */
  turns: TurnQueue;
  /** no new events from connections aiops opened itself (Socket Mode); HTTP stops with the server */
  stopReceiving(): Promise<void>;
  /** stop receiving, wait for queued turns, let queued notifications go out; each wait at most `waitMs` */
  close(waitMs?: number): Promise<void>;
}

/** true when the work finished within the time; it is not cancelled otherwise */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the chat platforms the configuration switches on, on the one HTTP server, and
 * registers each one's notifier on the app, so anything can post without being asked.
 */
export async function startPlatforms(
  app: App,
  http: HttpServer | undefined,
  onConnection?: (platform: 'slack', down: string | undefined) => void,
): Promise<Platforms> {
  const { config, log } = app;
  const turns = new TurnQueue();
  const slack = config.slack
    ? await startSlack({
        config: config.slack,
        engine: app.engine,
        store: app.store,
        log,
        http,
        turns,
        ...(onConnection ? { onConnection: (down: string | undefined) => onConnection('slack', down) } : {}),
      })
    : undefined;
  if (slack) app.notifier.register('slack', slack.notifier);
  let teams: TeamsAdapter | undefined;
  try {
    teams = config.teams
      ? startTeams({ config: config.teams, engine: app.engine, store: app.store, authorizer: app.authorizer, admins: config.admins, log, http, turns })
      : undefined;
  } catch (error) {
    await slack?.close();
    throw error;
  }
  if (teams) app.notifier.register('teams', teams.notifier);
  return {
    slack,
    teams,
    turns,
    stopReceiving: async () => {
      await slack?.stopReceiving();
    },
    close: async (waitMs = 10_000) => {
      // turns still waiting in line would otherwise start on a store that is closing
      if (!(await turns.idle(waitMs))) log.warn({ waiting: turns.depth }, `queued turns did not finish within ${Math.round(waitMs / 1000)} s`);
      const flushed = await within(Promise.all([slack?.close(), teams?.close()]), Math.max(waitMs, 1_000));
      if (!flushed) log.warn({ slack: slack?.notifier.pending, teams: teams?.notifier.pending }, 'outbound messages still queued at shutdown were dropped');
    },
  };
}
