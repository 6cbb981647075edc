import type { ActionRegistry } from '../actions/registry.js';
import type { ActionContext, ActionSettings, Actor, Integrations } from '../actions/types.js';
import type { Authorizer } from '../auth/authorizer.js';
import type { Catalog } from '../catalog/catalog.js';
import { isUserError } from '../errors.js';
import type { RecognitionSource, SecondOpinion } from '../intents/recognize.js';
import { turnLogger, type Logger } from '../log.js';
import type { Store } from '../sessions/store.js';
import { isStoreUnavailable } from '../sessions/unavailable.js';
import { threadKey, type ThreadSession } from '../sessions/threads.js';
import { converse } from './conversation.js';
import { decide } from './decision.js';
import { newCorrelationId } from './ids.js';
import type { Reply } from './reply.js';
import { userKey, type Responder, type Turn } from './turn.js';

export interface EngineSettings extends ActionSettings {
  approvalTtlMinutes: number;
  fourEyesEnvironments: string[];
  /** below this an LLM reading is confirmed with the user before anything happens */
  llmMinConfidence: number;
}

export interface EngineDeps {
  store: Store;
  catalog: Catalog;
  authorizer: Authorizer;
  registry: ActionRegistry;
  log: Logger;
  settings: EngineSettings;
  integrations: Integrations;
  secondOpinion?: SecondOpinion;
}

export type TurnOutcome = 'duplicate' | 'ignored' | 'replied' | 'clarify' | 'confirm' | 'denied' | 'approval' | 'executed' | 'failed' | 'decided' | 'refused' | 'error';

export interface TurnSummary {
  platform: Turn['platform'];
  intent: string;
  outcome: TurnOutcome;
  recognizer?: RecognitionSource;
  /** how long recognising the text took (text turns that reached the recogniser) */
  recognitionMs?: number;
  durationMs: number;
}

/** Everything one turn's steps share. */
export interface TurnContext {
  deps: EngineDeps;
  turn: Turn;
  responder: Responder;
  correlationId: string;
  log: Logger;
  sessionKey: string;
  /** the thread's session as read at the start of a text turn, so recording the turn need not read it again */
  session?: ThreadSession;
  summary: { intent: string; outcome: TurnOutcome; recognizer?: RecognitionSource; recognitionMs?: number };
  /** the actor as actions see them; the role is looked up once per turn */
  actor(): Promise<Actor>;
  actionContext(actor: Actor, overrides?: Partial<ActionContext>): ActionContext;
  say(reply: Reply): Promise<void>;
}

/**
 * The conversation loop, knowing no platform: drop duplicates, then either converse
 * (recognise -> authorise -> plan -> execute or ask for approval) or settle a decision.
 */
export class Engine {
  private inflight = 0;
  private idle: Array<() => void> = [];
  private readonly observers: Array<(summary: TurnSummary) => void> = [];

  constructor(readonly deps: EngineDeps) {}

  onTurn(observer: (summary: TurnSummary) => void): void {
    this.observers.push(observer);
  }

  async handle(turn: Turn, responder: Responder): Promise<TurnSummary> {
    const started = performance.now();
    this.inflight += 1;
    const ctx = this.context(turn, responder);
    try {
      if (!(await this.firstDelivery(ctx))) {
        ctx.summary.outcome = 'duplicate';
      } else if (turn.decision) {
        await decide(ctx);
      } else {
        await converse(ctx);
      }
    } catch (error) {
      await this.fail(ctx, error);
    } finally {
      this.inflight -= 1;
      if (this.inflight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
    const summary: TurnSummary = { platform: turn.platform, ...ctx.summary, durationMs: performance.now() - started };
    for (const observer of this.observers) observer(summary);
    return summary;
  }

  /** Resolves when no turn is in flight, or after the timeout (graceful shutdown). */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.inflight === 0) return true;
    return Promise.race([
      new Promise<boolean>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
  }

  get inflightTurns(): number {
    return this.inflight;
  }

  private context(turn: Turn, responder: Responder): TurnContext {
    const correlationId = newCorrelationId();
    const key = userKey(turn.platform, turn.user.id);
    const log = turnLogger(this.deps.log, { correlationId, platform: turn.platform, user: key });
    let actor: Promise<Actor> | undefined;
    const deps = this.deps;
    const ctx: TurnContext = {
      deps,
      turn,
      responder,
      correlationId,
      log,
      sessionKey: threadKey(turn.platform, turn.conversation.channel, turn.conversation.thread),
      summary: { intent: turn.decision ? 'decision' : 'unknown', outcome: 'replied' },
      actor: () =>
        (actor ??= deps.authorizer.roleOf(key).then((role) => ({ key, name: turn.user.name, role, platform: turn.platform }))),
      actionContext: (who, overrides = {}) => ({
        actor: who,
        correlationId: ctx.correlationId,
        conversation: { platform: turn.platform, ...turn.conversation },
        catalog: deps.catalog,
        store: deps.store,
        authorizer: deps.authorizer,
        settings: deps.settings,
        integrations: deps.integrations,
        log: ctx.log,
        responder,
        actions: deps.registry.all(),
        ...overrides,
      }),
      say: async (reply) => {
        await responder.post(reply);
      },
    };
    return ctx;
  }

  /** Platforms retry deliveries: the first claim of an event id wins, on any replica. */
  private async firstDelivery(ctx: TurnContext): Promise<boolean> {
    const claimed = await this.deps.store.keys.claim(`event:${ctx.turn.platform}:${ctx.turn.eventId}`, 24 * 60 * 60, ctx.correlationId);
    if (!claimed) ctx.log.info({ eventId: ctx.turn.eventId }, 'duplicate delivery ignored');
    return claimed;
  }

  private async fail(ctx: TurnContext, error: unknown): Promise<void> {
    ctx.summary.outcome = 'error';
    let reply: Reply;
    if (isUserError(error)) {
      ctx.summary.outcome = 'refused';
      reply = { text: error.message, tone: 'error', ...(error.hint ? { context: [error.hint] } : {}) };
    } else if (isStoreUnavailable(error)) {
      ctx.log.error({ err: error }, 'turn failed: the store is unreachable');
      reply = {
        text: `I can't reach my database right now, so I did nothing (ref ${ctx.correlationId}). Try again in a few minutes; if it keeps happening, tell whoever runs aiops that DynamoDB is unreachable.`,
        tone: 'error',
      };
    } else {
      ctx.log.error({ err: error }, 'turn failed');
      reply = {
        text: `Something went wrong (ref ${ctx.correlationId}). Nothing further was done; try again, or give the ref to whoever runs aiops.`,
        tone: 'error',
      };
    }
    try {
      await ctx.responder.post(reply);
    } catch (postError) {
      ctx.log.error({ err: postError }, 'could not post the error reply');
    }
  }
}
