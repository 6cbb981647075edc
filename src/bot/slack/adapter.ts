import { App, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import { z } from 'zod';
import { ConfigError, type Config } from '../../config.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../sessions/store.js';
import type { Engine } from '../engine.js';
import { TurnQueue } from '../turn-queue.js';
import { slackEventsHandler, SLACK_EVENTS_PATH } from './http.js';
import { registerListeners } from './listeners.js';
import { boltLogger } from './logger.js';
import { SlackNotifier } from './notifier.js';
import { SlackSender } from './send.js';
import { SlackUsers } from './users.js';

export type SlackConfig = NonNullable<Config['slack']>;

export interface SlackAdapterOptions {
  config: SlackConfig;
  engine: Engine;
  store: Store;
  log: Logger;
  /** our HTTP server, where HTTP mode adds POST /slack/events */
  http: HttpServer | undefined;
  /** extra Web API client options (tests turn retries off) */
  clientOptions?: webApi.WebClientOptions;
  /** the clock for the signature's five-minute window */
  now?: () => number;
  /** shared with the other adapters: how many turns run at once */
  turns?: TurnQueue;
  /** Socket Mode: told when the connection drops (with why) and when it is back (undefined) */
  onConnection?: (down: string | undefined) => void;
}

export interface SlackAdapter {
  botUserId: string;
  notifier: SlackNotifier;
  client: webApi.WebClient;
  /** Socket Mode: disconnect, so no new events arrive (over HTTP the server stops them) */
  stopReceiving(): Promise<void>;
  close(): Promise<void>;
}

const authTest = z.object({ user_id: z.string(), bot_id: z.string().optional(), team: z.string().optional() });

/**
 * Slack through a real Bolt app: over HTTP on our server (events, /aiops and interactivity on
 * one URL) or over Socket Mode when an app-level token is set. The bot's identity comes from
 * `auth.test` once at start, so a bad token stops aiops with a clear message.
 */
export async function startSlack(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { config } = options;
  const log = options.log.child({ platform: 'slack' });
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    logger,
    rejectRateLimitedCalls: true,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
    ...options.clientOptions,
  };
  const client = new webApi.WebClient(config.botToken, clientOptions);
  const identity = await identify(client, config);

  // over HTTP, slackEventsHandler verifies every request before the receiver sees it
  const receiver = config.mode === 'http' ? new HTTPReceiver({ signingSecret: config.signingSecret, signatureVerification: false, endpoints: SLACK_EVENTS_PATH, logger }) : undefined;
  const socket = config.mode === 'socket' ? socketReceiver(config.appToken, clientOptions, logger, log, options.onConnection) : undefined;
  const app = new App({
    token: config.botToken,
    botUserId: identity.user_id,
    ...(identity.bot_id ? { botId: identity.bot_id } : {}),
    logger,
    clientOptions,
    // aiops keeps thread context in DynamoDB; Bolt's own conversation store would only cost a lookup per event
    convoStore: false,
    receiver: receiver ?? socket!,
  });
  const sender = new SlackSender(client);
  const turns = options.turns ?? new TurnQueue();
  registerListeners(app, {
    engine: options.engine,
    store: options.store,
    log,
    sender,
    users: new SlackUsers(client, log),
    botUserId: identity.user_id,
    turns,
  });

  if (receiver) {
    if (!options.http) throw new Error('Slack over HTTP needs the HTTP server (PORT); it did not start');
    options.http.add({
      method: 'POST',
      path: SLACK_EVENTS_PATH,
      handler: slackEventsHandler({
        receiver,
        signingSecret: config.mode === 'http' ? config.signingSecret : '',
        log,
        ackStarted: () => turns.ackStarted(),
        ...(options.now ? { now: options.now } : {}),
      }),
    });
    log.info({ botUserId: identity.user_id, team: identity.team, path: SLACK_EVENTS_PATH }, 'Slack ready over HTTP');
  } else {
    await app.start();
    log.info({ botUserId: identity.user_id, team: identity.team }, 'Slack ready over Socket Mode');
  }

  const notifier = new SlackNotifier(client);
  let stopped: Promise<unknown> | undefined;
  const stopReceiving = async (): Promise<void> => {
    if (!receiver) await (stopped ??= app.stop());
  };
  return {
    botUserId: identity.user_id,
    notifier,
    client,
    stopReceiving,
    close: async () => {
      await stopReceiving();
      await notifier.drain();
    },
  };
}

/**
 * Socket Mode over Bolt's receiver, watched: the client reconnects by itself after a drop, and
 * until it has, /readyz says so (the process gets no events meanwhile).
 */
function socketReceiver(
  appToken: string,
  clientOptions: webApi.WebClientOptions,
  logger: ReturnType<typeof boltLogger>,
  log: Logger,
  onConnection: ((down: string | undefined) => void) | undefined,
): SocketModeReceiver {
  const receiver = new SocketModeReceiver({ appToken, logger, installerOptions: { clientOptions } });
  let connected = false;
  receiver.client.on('connected', () => {
    if (!connected) log.info('Slack Socket Mode connected');
    connected = true;
    onConnection?.(undefined);
  });
  receiver.client.on('close', () => {
    if (connected) log.warn('Slack Socket Mode connection lost; reconnecting');
    connected = false;
    onConnection?.('Socket Mode disconnected, reconnecting');
  });
  return receiver;
}

async function identify(client: webApi.WebClient, config: SlackConfig): Promise<z.infer<typeof authTest>> {
  try {
    return authTest.parse(await client.auth.test());
  } catch (error) {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    if (typeof code === 'string') {
      throw new ConfigError([`SLACK_BOT_TOKEN: Slack refused it (${code}); copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions of your Slack app`]);
    }
    const where = config.apiUrl ?? 'https://slack.com/api/';
    throw new ConfigError([`SLACK_API_URL: could not reach the Slack Web API at ${where} (${error instanceof Error ? error.message : String(error)})`]);
  }
}
