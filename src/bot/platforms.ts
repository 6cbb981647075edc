import type { App } from '../app.js';
import type { HttpServer } from '../http/server.js';
import { startSlack, type SlackAdapter } from './slack/adapter.js';
import { startTeams, type TeamsAdapter } from './teams/adapter.js';
import { TurnQueue } from './turn-queue.js';

export interface Platforms {
  slack: SlackAdapter | undefined;
  teams: TeamsAdapter | undefined;
  /** stop receiving, let queued notifications go out */
  close(): Promise<void>;
}

/**
 * Starts the chat platforms the configuration switches on, on the one HTTP server, and
 * registers each one's notifier on the app, so anything can post without being asked.
 */
export async function startPlatforms(app: App, http: HttpServer | undefined): Promise<Platforms> {
  const { config, log } = app;
  const turns = new TurnQueue();
  const slack = config.slack
    ? await startSlack({ config: config.slack, engine: app.engine, store: app.store, log, http, turns })
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
    close: async () => {
      // turns still waiting in line would otherwise start on a store that is closing
      if (!(await turns.idle(10_000))) log.warn({ waiting: turns.depth }, 'queued turns did not finish within 10 s');
      await Promise.all([slack?.close(), teams?.close()]);
    },
  };
}
