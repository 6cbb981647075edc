import { randomUUID } from 'node:crypto';
import nock from 'nock';
import type { Notifier, NotifyTarget } from '../../src/bot/notifier.js';
import type { Button, Reply } from '../../src/bot/reply.js';
import type { MessageRef, Responder, Turn } from '../../src/bot/turn.js';
import type { TurnSummary } from '../../src/bot/engine.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { ManualClock } from '../../src/sessions/clock.js';
import type { AlarmStateChange } from '../../src/sources/alarm-event.js';
import { parseAlarmMessage } from '../../src/sources/alarm-message.js';
import { createAlerting, type Alerting, type AlertingOptions } from '../../src/sources/alerting.js';
import { TestBot } from './bot.js';
import { cloudWatchForTests } from './cloudwatch.js';
import { alarmMessage, TOPIC, type Envelope } from './sns.js';

export interface Message {
  ref: MessageRef;
  target: NotifyTarget;
  reply: Reply;
  /** the latest content, after edits */
  current: Reply;
  edits: Reply[];
}

/** A Notifier that remembers every message and edit, as a platform would show them. */
export class RecordingNotifier implements Notifier {
  readonly messages: Message[] = [];
  private next = 1;

  async notify(target: NotifyTarget, reply: Reply): Promise<MessageRef> {
    const ref: MessageRef = { platform: target.platform, channel: target.channel, id: `m${this.next++}`, ...(target.thread ? { thread: target.thread } : {}) };
    this.messages.push({ ref, target, reply, current: reply, edits: [] });
    return ref;
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    const message = this.messages.find((candidate) => candidate.ref.id === ref.id);
    if (!message) throw new Error(`edit of unknown message ${ref.id}`);
    message.current = reply;
    message.edits.push(reply);
  }

  /** Top-level messages (alerts), not thread replies. */
  get alerts(): Message[] {
    return this.messages.filter((message) => !message.target.thread);
  }

  thread(alert: Message): Message[] {
    return this.messages.filter((message) => message.target.thread === alert.ref.id);
  }
}

export const button = (reply: Reply, label: string): Button => {
  const found = reply.buttons?.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no "${label}" button on: ${reply.text}`);
  return found;
};

export const textOf = (reply: Reply): string =>
  [reply.text, ...(reply.fields ?? []).map((field) => `${field.label}: ${field.value}`), ...(reply.sections ?? []).flatMap((section) => [section.title ?? '', ...section.lines]), ...(reply.context ?? [])].join('\n');

export interface HarnessOptions extends Partial<Omit<AlertingOptions, 'notifier'>> {
  endpoint: string;
  prefix: string;
  now?: Date;
  env?: Record<string, string>;
}

/**
 * The real app on the embedded store, alerting built on it with a recording notifier, CloudWatch
 * played by nock, and an HTTP server for the SNS route. Slack users decide in the alert's thread.
 */
export class AlertHarness {
  private constructor(
    readonly bot: TestBot,
    readonly alerting: Alerting,
    readonly notifier: RecordingNotifier,
    readonly http: HttpServer,
  ) {}

  static async start(options: HarnessOptions): Promise<AlertHarness> {
    const clock = new ManualClock(options.now ?? new Date('2026-03-02T14:00:00Z'));
    const bot = await TestBot.start({ endpoint: options.endpoint, prefix: options.prefix, clock, env: { AIOPS_SNS_TOPICS: TOPIC, ...options.env } });
    const notifier = new RecordingNotifier();
    const { endpoint: _endpoint, prefix: _prefix, now: _now, env: _env, ...rest } = options;
    const alerting = createAlerting(bot.app, { cloudwatch: cloudWatchForTests(), ...rest, notifier });
    const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: bot.app.log, routes: alerting.routes });
    return new AlertHarness(bot, alerting, notifier, http);
  }

  get clock(): ManualClock {
    return this.bot.clock;
  }

  get store() {
    return this.bot.app.store;
  }

  async postSns(envelope: Envelope | string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
    const type = typeof envelope === 'string' ? undefined : envelope.Type;
    const response = await fetch(`${this.http.url}/webhooks/sns`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8', ...(type ? { 'x-amz-sns-message-type': type } : {}), ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A Slack user's turn in the alert's thread: a click on one of its buttons, or a message. */
  async turn(user: string, alert: Message, content: Pick<Turn, 'text' | 'decision'>): Promise<TurnSummary & { replies: Reply[] }> {
    const replies: Reply[] = [];
    const thread: NotifyTarget = { platform: 'slack', channel: alert.ref.channel, thread: alert.ref.id };
    const responder: Responder = {
      post: async (reply) => {
        replies.push(reply);
        return this.notifier.notify(thread, reply);
      },
      update: (ref, reply) => this.notifier.update(ref, reply),
    };
    const turn: Turn = {
      platform: 'slack',
      eventId: randomUUID(),
      user: { id: user, name: user },
      conversation: { channel: alert.ref.channel, thread: alert.ref.id },
      addressed: true,
      ...content,
    };
    const summary = await this.bot.app.engine.handle(turn, responder);
    return { ...summary, replies };
  }

  click(user: string, alert: Message, label: 'Approve' | 'Dismiss'): Promise<TurnSummary & { replies: Reply[] }> {
    const { target, choice } = button(alert.reply, label);
    return this.turn(user, alert, { decision: { target, choice, origin: alert.ref } });
  }

  async close(): Promise<void> {
    await this.alerting.stop();
    await this.http.close();
    await this.bot.close();
    nock.cleanAll();
  }
}

/** An alarm state change as SNS would deliver it, built from the published CloudWatch message. */
export function alarmChange(
  alarm: string,
  options: { state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'; previous?: string; at: string; metric?: string; namespace?: string; threshold?: number; value?: number },
): AlarmStateChange {
  const value = options.value ?? 93.5;
  const threshold = options.threshold ?? 80;
  const message = alarmMessage(alarm, {
    at: options.at,
    ...(options.state ? { state: options.state } : {}),
    ...(options.previous ? { previous: options.previous } : {}),
    trigger: { MetricName: options.metric ?? 'CPUUtilization', Namespace: options.namespace ?? 'AWS/ECS', Threshold: threshold, Statistic: 'AVERAGE', Period: 300 },
    reason: `Threshold Crossed: 1 out of the last 1 datapoints [${value} (02/03/26 13:57:00)] was ${options.state === 'OK' ? 'not ' : ''}greater than the threshold (${threshold}).`,
  });
  const parsed = parseAlarmMessage(message);
  if (parsed.kind !== 'alarm') throw new Error(`fixture did not parse: ${JSON.stringify(parsed)}`);
  return parsed.change;
}
