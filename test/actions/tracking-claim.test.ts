import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { useNock } from '../support/gitlab.js';
import { gitlabBot, planReads, triggerReads, type GitLabBot } from '../support/gitlab-bot.js';
import { ManualSleeper, RecordingNotifier } from '../support/tracking.js';

const store = useEmbeddedStore();
useNock();

const opened: GitLabBot[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((env) => env.bot.close()));
});

describe('starting a deployment next to another replica', () => {
  it("holds the lease before the record exists, so the other replica's sweep never takes it for abandoned", async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const sleeper = new ManualSleeper();
    const a = await gitlabBot(store, { prefix, clock, sleeper, notifier: new RecordingNotifier('a') });
    const b = await gitlabBot(store, { prefix, clock, notifier: new RecordingNotifier('b') });
    opened.push(a, b);
    // B sweeps at the worst moment: the instant A's record is written
    const deployments = a.bot.app.store.deployments;
    const create = deployments.create.bind(deployments);
    const taken: string[] = [];
    vi.spyOn(deployments, 'create').mockImplementation(async (...args) => {
      const record = await create(...args);
      taken.push(...(await b.bot.app.tracker!.resume()));
      return record;
    });

    planReads();
    const request = await a.bot.as('dana').say('deploy payments v1.2 to dev');
    triggerReads({ pipelineId: 101 });
    await a.bot.as('dana').click(request.button('Approve'));
    await sleeper.untilAsleep();

    expect(taken).toEqual([]);
    expect(b.notifier.calls).toBe(0);
    const [record] = await a.bot.app.store.deployments.history('payments', 'dev');
    expect(record).toMatchObject({ outcome: 'running', pipelineId: 101, tracking: 'open' });
    expect(a.bot.app.tracker!.watching).toEqual([record!.id]);
  });
});
