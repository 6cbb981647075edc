import type { Notifier, NotifyTarget } from '../../src/bot/notifier.js';
import type { Reply } from '../../src/bot/reply.js';
import type { MessageRef } from '../../src/bot/turn.js';
import type { Deployment, DeploymentKind, NewDeployment, Outcome } from '../../src/sessions/deployments.js';
import type { Store } from '../../src/sessions/store.js';
import type { ManualClock } from '../../src/sessions/clock.js';

/** Sleeps that wait for the test: `await sleeper.untilAsleep()`, then `sleeper.wake()`. */
export class ManualSleeper {
  readonly requested: number[] = [];
  private pending: Array<{ resolve: () => void }> = [];
  private waiters: Array<() => void> = [];

  readonly sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      const entry = { resolve };
      this.requested.push(ms);
      this.pending.push(entry);
      signal.addEventListener(
        'abort',
        () => {
          this.pending = this.pending.filter((item) => item !== entry);
          resolve();
        },
        { once: true },
      );
      this.waiters.splice(0).forEach((wake) => wake());
    });

  get asleep(): number {
    return this.pending.length;
  }

  async untilAsleep(count = 1): Promise<void> {
    while (this.pending.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    this.pending.splice(0).forEach((entry) => entry.resolve());
  }
}

/** Sleeps that return at once, remembering what they were asked. */
export function instantSleeper(): { sleep: (ms: number) => Promise<void>; requested: number[] } {
  const requested: number[] = [];
  return {
    requested,
    sleep: async (ms: number) => {
      requested.push(ms);
    },
  };
}

/** A platform notifier that records what it was asked to post and edit. */
export class RecordingNotifier implements Notifier {
  readonly notified: Array<{ target: NotifyTarget; reply: Reply; ref: MessageRef }> = [];
  readonly updated: Array<{ ref: MessageRef; reply: Reply }> = [];
  private next = 1;

  constructor(private readonly name = 'n') {}

  async notify(target: NotifyTarget, reply: Reply): Promise<MessageRef> {
    const ref: MessageRef = { platform: target.platform, channel: target.channel, id: `${this.name}${this.next++}`, ...(target.thread ? { thread: target.thread } : {}) };
    this.notified.push({ target, reply, ref });
    return ref;
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    this.updated.push({ ref, reply });
  }

  get calls(): number {
    return this.notified.length + this.updated.length;
  }
}

/** A deployment as aiops records it before triggering: payments v1.2 to prod by alice, unless told otherwise. */
export function newDeployment(fields: Partial<NewDeployment> = {}): NewDeployment {
  const service = fields.service ?? 'payments';
  const version = fields.version ?? 'v1.2';
  const environment = fields.environment ?? 'prod';
  const kind = fields.kind ?? 'deploy';
  return {
    kind,
    action: kind,
    service,
    environment,
    project: `acme/${service}`,
    ref: version,
    version,
    summary: `Deploy ${service} ${version} to ${environment}`,
    requestedBy: { key: 'console:alice', name: 'alice' },
    correlationId: 'c-1',
    conversation: { platform: 'console', channel: 'c', thread: 't' },
    ...fields,
  };
}

/** A finished deployment on record, as if aiops had run it (for history-based checks). */
export async function seedDeployment(
  store: Store,
  clock: ManualClock,
  fields: { service?: string; environment: string; version: string; sha?: string; outcome: Exclude<Outcome, 'pending' | 'running'>; kind?: DeploymentKind; pipelineId: number; replaces?: string },
): Promise<Deployment> {
  clock.advance(60_000);
  const service = fields.service ?? 'payments';
  const created = await store.deployments.create(
    newDeployment({
      ...(fields.kind ? { kind: fields.kind, action: fields.kind } : {}),
      service,
      environment: fields.environment,
      version: fields.version,
      ...(fields.replaces ? { replaces: fields.replaces } : {}),
      requestedBy: { key: 'console:seed', name: 'seed' },
      correlationId: 'c-seed',
      conversation: { platform: 'console', channel: 'c', thread: 'seed' },
    }),
  );
  await store.deployments.started(created.id, { id: fields.pipelineId, url: `https://gitlab.test/acme/${service}/-/pipelines/${fields.pipelineId}`, status: 'running', sha: fields.sha ?? `sha-of-${fields.version}` });
  clock.advance(60_000);
  return (await store.deployments.finish(created.id, fields.outcome, { pipelineStatus: fields.outcome }))!;
}
