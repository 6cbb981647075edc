import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { gitlab, project, useNock } from '../support/gitlab.js';
import { gitlabBot, planReads, poll, triggerReads, type GitLabBot } from '../support/gitlab-bot.js';
import { ManualSleeper, newDeployment, RecordingNotifier } from '../support/tracking.js';

const store = useEmbeddedStore();
useNock();

const opened: GitLabBot[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((env) => env.bot.close()));
});

async function replica(options: Parameters<typeof gitlabBot>[1]): Promise<GitLabBot> {
  const env = await gitlabBot(store, options);
  opened.push(env);
  return env;
}

const statusPost = (env: GitLabBot) => env.bot.posts.find((post) => post.reply.text.startsWith('*Deploy payments v1.2 to dev*: '))!;

const passed = [{ name: 'deploy', stage: 'deploy', status: 'success' }];

/** Replica A starts a deploy to dev and parks its tracker before the first poll. */
async function deployOnA(prefix: string, clock: ManualClock): Promise<{ a: GitLabBot; sleeper: ManualSleeper; deploymentId: string }> {
  const sleeper = new ManualSleeper();
  const a = await replica({ prefix, clock, sleeper, notifier: new RecordingNotifier('a') });
  planReads();
  const request = await a.bot.as('dana').say('deploy payments v1.2 to dev');
  triggerReads({ pipelineId: 101 });
  await a.bot.as('dana').click(request.button('Approve'));
  await sleeper.untilAsleep();
  const [record] = await a.bot.app.store.deployments.history('payments', 'dev');
  return { a, sleeper, deploymentId: record!.id };
}

describe('tracking across restarts', () => {
  it('is resumed by exactly one of two new replicas after a graceful restart', async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const { a, deploymentId } = await deployOnA(prefix, clock);
    await a.bot.close();
    opened.splice(opened.indexOf(a), 1);

    const b = await replica({ prefix, clock, notifier: new RecordingNotifier('b') });
    const c = await replica({ prefix, clock, notifier: new RecordingNotifier('c') });
    poll(101, 'success', passed);
    const taken = await Promise.all([b.bot.app.tracker!.resume(), c.bot.app.tracker!.resume()]);
    expect(taken.flat()).toEqual([deploymentId]);
    await Promise.all([b.bot.app.tracker!.idle(), c.bot.app.tracker!.idle()]);

    const [winner, loser] = taken[0]!.length === 1 ? [b, c] : [c, b];
    expect(loser.notifier.calls).toBe(0);
    expect(winner.notifier.updated).toHaveLength(1);
    expect(winner.notifier.updated[0]!.ref).toEqual(statusPost(a).ref);
    expect(winner.notifier.updated[0]!.reply.text).toBe('*Deploy payments v1.2 to dev*: succeeded in 0s (pipeline #101)');
    expect(winner.notifier.notified).toHaveLength(1);
    expect(winner.notifier.notified[0]!.target).toEqual({ platform: 'console', channel: 'c', thread: 't1' });
    const record = await b.bot.app.store.deployments.get(deploymentId);
    expect(record?.outcome).toBe('success');
    const finished = (await b.bot.app.store.audit.recent(50)).filter((entry) => entry.event === 'deployment.finished');
    expect(finished).toHaveLength(1);
  });

  it('is taken over once the lease of a crashed replica lapses, and the crashed one stands down', async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const { a, sleeper, deploymentId } = await deployOnA(prefix, clock);
    // A is "dead": its loop never wakes and its lease is still held
    const b = await replica({ prefix, clock, notifier: new RecordingNotifier('b') });
    const c = await replica({ prefix, clock, notifier: new RecordingNotifier('c') });
    expect((await Promise.all([b.bot.app.tracker!.resume(), c.bot.app.tracker!.resume()])).flat()).toEqual([]);

    clock.advance(181_000);
    poll(101, 'success', passed);
    const taken = await Promise.all([b.bot.app.tracker!.resume(), c.bot.app.tracker!.resume()]);
    expect(taken.flat()).toEqual([deploymentId]);
    await Promise.all([b.bot.app.tracker!.idle(), c.bot.app.tracker!.idle()]);
    expect(b.notifier.calls + c.notifier.calls).toBe(2);

    // A wakes up late: its lease is gone, so it neither polls GitLab nor touches the thread
    const statusEdits = statusPost(a).updates.length;
    sleeper.wake();
    await a.bot.app.tracker!.idle();
    expect(statusPost(a).updates).toHaveLength(statusEdits);
    expect(a.notifier.calls).toBe(0);
  });

  it('finds orphans on a later sweep, not only at start', async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const { deploymentId } = await deployOnA(prefix, clock);
    const sweeper = new ManualSleeper();
    const b = await replica({ prefix, clock, sleeper: sweeper, notifier: new RecordingNotifier('b') });
    b.bot.app.tracker!.start();
    await sweeper.untilAsleep();
    expect(b.bot.app.tracker!.watching).toEqual([]);
    expect(sweeper.requested).toEqual([60_000]);

    clock.advance(181_000);
    poll(101, 'success', passed);
    sweeper.wake();
    await sweeper.untilAsleep();
    await b.bot.app.tracker!.idle();
    expect((await b.bot.app.store.deployments.get(deploymentId))?.outcome).toBe('success');
  });

  it('reports a deployment whose replica died before GitLab answered the trigger', async () => {
    const prefix = store.prefix();
    const b = await replica({ prefix, notifier: new RecordingNotifier('b') });
    const pending = await b.bot.app.store.deployments.create(newDeployment({ correlationId: 'c-lost', conversation: { platform: 'console', channel: 'c', thread: 't7' } }));
    expect(await b.bot.app.tracker!.resume()).toEqual([pending.id]);
    await b.bot.app.tracker!.idle();
    expect(b.notifier.notified[0]!.reply.text).toBe(
      '*Deploy payments v1.2 to prod* outcome unknown: aiops stopped before it learned whether GitLab created the pipeline; check https://gitlab.test/acme/payments/-/pipelines.',
    );
    expect((await b.bot.app.store.deployments.get(pending.id))?.outcome).toBe('unknown');
  });

  it('keeps watching through a GitLab outage and says so in the status message', async () => {
    const env = await replica({});
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    triggerReads({ pipelineId: 106 });
    gitlab().get(`${project()}/pipelines/106`).times(4).reply(502, 'Bad Gateway');
    gitlab().get(`${project()}/pipelines/106/jobs`).query(true).reply(200, []);
    poll(106, 'success', passed);
    const click = await bot.as('dana').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    const status = click.posted[0]!;
    expect(status.updates[0]!.context?.[0]).toBe('GitLab answered 502 for acme/payments: GitLab is having trouble (4 attempts). Still watching.');
    expect(status.current.text).toBe('*Deploy payments v1.2 to dev*: succeeded in 0s (pipeline #106)');
    // backoff doubled after the failure, then reset
    expect(env.pollWaits).toEqual([5_000, 10_000]);
  });
});
