import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Authorizer } from '../../auth/authorizer.js';
import type { Config } from '../../config.js';
import { BodyError, headerOf, readBody, refuse, sendJson, type Handler, type HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../sessions/store.js';
import type { Engine } from '../engine.js';
import { TurnQueue } from '../turn-queue.js';
import { activityEnvelope } from './activity.js';
import { ApprovalCards } from './approvals.js';
import { onActivity } from './handler.js';
import { TeamsNotifier } from './notifier.js';
import { TeamsConversations } from './references.js';
import { TeamsSender } from './sender.js';

export type TeamsConfig = NonNullable<Config['teams']>;
export const TEAMS_MESSAGES_PATH = '/api/messages';
const BODY_LIMIT = 1_000_000;

/** CloudAdapter whose processActivity we call with a body we parsed ourselves (CloudAdapter.process wants Express-like objects). */
class AiopsCloudAdapter extends CloudAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export interface TeamsAdapterOptions {
  config: TeamsConfig;
  engine: Engine;
  store: Store;
  authorizer: Authorizer;
  admins: readonly string[];
  log: Logger;
  http: HttpServer | undefined;
  /** shared with the other adapters: how many turns run at once */
  turns?: TurnQueue;
  /** extra Bot Framework settings (tests point the OpenID metadata at a local server) */
  authSettings?: ConfigurationBotFrameworkAuthenticationOptions;
}

export interface TeamsAdapter {
  notifier: TeamsNotifier;
  close(): Promise<void>;
}

/**
 * Teams through botbuilder's CloudAdapter at POST /api/messages on our server, authenticated
 * with ConfigurationBotFrameworkAuthentication: JWT validation whenever MicrosoftAppId is set;
 * without one (AIOPS_TEAMS=true) it is the Bot Framework Emulator mode, with no auth at all.
 */
export function startTeams(options: TeamsAdapterOptions): TeamsAdapter {
  const { config } = options;
  const log = options.log.child({ platform: 'teams' });
  if (!options.http) throw new Error('Teams needs the HTTP server (PORT); it did not start');
  const authentication = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType,
    ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
    ...options.authSettings,
  });
  const adapter = new AiopsCloudAdapter(authentication);
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, 'Teams turn failed inside the adapter');
  };
  const inflight = new Set<Promise<void>>();
  const conversations = new TeamsConversations(options.store.conversations);
  const sender = new TeamsSender(adapter, config.appId);
  const cards = new ApprovalCards({ store: options.store, authorizer: options.authorizer, admins: options.admins, log });
  const deps = {
    engine: options.engine,
    log,
    sender,
    conversations,
    cards,
    turns: options.turns ?? new TurnQueue(),
    track: (work: Promise<void>) => {
      inflight.add(work);
      void work.finally(() => inflight.delete(work));
    },
  };
  options.http.add({ method: 'POST', path: TEAMS_MESSAGES_PATH, handler: messagesHandler(adapter, (context) => onActivity(deps, context), log) });
  if (!config.appId) log.warn('Teams without MicrosoftAppId: requests are NOT authenticated (Bot Framework Emulator mode); never expose this to the internet');
  log.info({ path: TEAMS_MESSAGES_PATH, appId: config.appId || undefined }, 'Teams ready');

  const notifier = new TeamsNotifier(sender, conversations, cards);
  return {
    notifier,
    close: async () => {
      await Promise.allSettled([...inflight]);
      await notifier.drain();
    },
  };
}

function messagesHandler(adapter: AiopsCloudAdapter, logic: (context: TurnContext) => Promise<void>, log: Logger): Handler {
  return async (req, res) => {
    let activity: Activity;
    try {
      const parsed = activityEnvelope.safeParse(JSON.parse((await readBody(req, BODY_LIMIT)).toString('utf8')));
      if (!parsed.success) return refuse(res, 400);
      activity = parsed.data as unknown as Activity;
    } catch (error) {
      if (error instanceof BodyError) return refuse(res, error.status);
      if (error instanceof SyntaxError) return refuse(res, 400);
      throw error;
    }
    let authenticated = false;
    try {
      const response = await adapter.handle(headerOf(req, 'authorization') ?? '', activity, async (context) => {
        authenticated = true;
        await logic(context);
      });
      if (response?.body !== undefined) sendJson(res, response.status, response.body);
      else refuse(res, response?.status ?? 200);
    } catch (error) {
      if (authenticated) {
        log.error({ err: error }, 'Teams activity failed');
        return refuse(res, 500);
      }
      // the adapter refused before our logic ran: a missing, forged or expired token
      const status = (error as { statusCode?: unknown }).statusCode;
      log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'Teams request refused: not authenticated');
      refuse(res, typeof status === 'number' && status >= 500 ? 503 : 401);
    }
  };
}
