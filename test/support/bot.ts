import { randomUUID } from 'node:crypto';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import type { Button, Reply } from '../../src/bot/reply.js';
import type { MessageRef, Platform, Responder, Turn } from '../../src/bot/turn.js';
import type { TurnSummary } from '../../src/bot/engine.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { captureLogs } from './log-capture.js';

export interface Posted {
  ref: MessageRef;
  reply: Reply;
  /** the latest content, after any updates */
  current: Reply;
  updates: Reply[];
}

export interface BotOptions {
  endpoint: string;
  prefix: string;
  env?: Record<string, string>;
  admins?: string[];
  clock?: ManualClock;
  app?: Partial<AppOptions>;
}

/** Every reply of one turn, in order. */
export class TurnResult {
  constructor(
    readonly summary: TurnSummary,
    readonly posted: Posted[],
    readonly updated: Posted[],
  ) {}

  get replies(): Reply[] {
    return this.posted.map((post) => post.reply);
  }

  get last(): Reply {
    const last = this.posted[this.posted.length - 1];
    if (!last) throw new Error(`the turn posted nothing (outcome ${this.summary.outcome})`);
    return last.reply;
  }

  get text(): string {
    return this.posted.map((post) => post.reply.text).join('\n');
  }

  button(label: string): Button {
    for (const post of [...this.posted].reverse()) {
      const button = post.reply.buttons?.find((candidate) => candidate.label === label);
      if (button) return button;
    }
    throw new Error(`no "${label}" button in: ${this.text}`);
  }
}

/**
 * The bot as a test sees it: real app, real engine, real embedded store, a recording responder.
 * Tests read like transcripts: `await bot.as('alice').say('deploy payments v1.2 to prod')`.
 */
export class TestBot {
  readonly posts: Posted[] = [];
  private nextId = 1;

  private constructor(
    readonly app: App,
    readonly clock: ManualClock,
    readonly logs: { lines: string[]; text(): string },
  ) {}

  static async start(options: BotOptions): Promise<TestBot> {
    const clock = options.clock ?? new ManualClock(new Date());
    const env = {
      AIOPS_TABLE_PREFIX: options.prefix,
      AIOPS_ADMINS: (options.admins ?? ['console:root']).join(','),
      AIOPS_LOG_LEVEL: 'debug',
      ...options.env,
    };
    const config = loadConfig(env);
    const logs = captureLogs(config.secrets);
    const app = await buildApp(config, { log: logs.log, clock, storeEndpoint: options.endpoint, ...options.app });
    return new TestBot(app, clock, logs);
  }

  as(user: string, platform: Platform = 'console'): Speaker {
    return new Speaker(this, user, platform);
  }

  async grant(user: string, role: string): Promise<void> {
    const key = user.includes(':') ? user : `console:${user}`;
    await this.app.store.roles.set(key, role, 'test');
    this.app.authorizer.forget(key);
  }

  responder(before: { posted: Posted[]; updated: Posted[] }): Responder {
    return {
      post: async (reply) => {
        const ref: MessageRef = { platform: 'console', channel: 'c', id: String(this.nextId++) };
        const posted: Posted = { ref, reply, current: reply, updates: [] };
        this.posts.push(posted);
        before.posted.push(posted);
        return ref;
      },
      update: async (ref, reply) => {
        const target = this.posts.find((post) => post.ref.id === ref.id);
        if (!target) throw new Error(`update of unknown message ${ref.id}`);
        target.current = reply;
        target.updates.push(reply);
        before.updated.push(target);
      },
    };
  }

  /**
   * The pipeline's outcome, posted by the tracker. It may land before or after the engine's
   * "Started pipeline" reply (the tracker polls at once in tests), so tests look for it by content.
   */
  outcome(): Posted {
    const found = [...this.posts].reverse().find((post) => !post.reply.text.startsWith('Started pipeline'));
    if (!found) throw new Error('no outcome posted');
    return found;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

export class Speaker {
  constructor(
    private readonly bot: TestBot,
    readonly user: string,
    readonly platform: Platform,
  ) {}

  async say(text: string, options: { thread?: string; eventId?: string; addressed?: boolean } = {}): Promise<TurnResult> {
    return this.send({ text, ...(options.addressed === undefined ? {} : { addressed: options.addressed }) }, options);
  }

  async click(button: Button, options: { thread?: string; eventId?: string } = {}): Promise<TurnResult> {
    return this.send({ decision: { target: button.target, choice: button.choice } }, options);
  }

  private async send(content: Pick<Turn, 'text' | 'decision' | 'addressed'>, options: { thread?: string; eventId?: string }): Promise<TurnResult> {
    const record = { posted: [] as Posted[], updated: [] as Posted[] };
    const turn: Turn = {
      platform: this.platform,
      eventId: options.eventId ?? randomUUID(),
      user: { id: this.user, name: this.user },
      conversation: { channel: 'c', thread: options.thread ?? 't1' },
      addressed: true,
      ...content,
    };
    const summary = await this.bot.app.engine.handle(turn, this.bot.responder(record));
    return new TurnResult(summary, record.posted, record.updated);
  }
}
