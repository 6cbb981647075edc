import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { failedHook, TRACES, traceOf } from '../support/autofix.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { createdBranch, createdMergeRequest, gitlab, jobs, pipeline, pipelineList, project, repositoryFile, retriedJob, SHA, useNock } from '../support/gitlab.js';
import { useHookEnvs, type HookEnv } from '../support/gitlab-hooks.js';

const store = useEmbeddedStore();
useNock();

const open = useHookEnvs(store);

const outcome = (env: HookEnv): string | undefined => env.slack.updated.at(-1)?.reply.fields?.find((field) => field.label === 'Outcome')?.value;

async function retryApplied(env: HookEnv): Promise<void> {
  traceOf(378, TRACES.network);
  gitlab().post(`${project()}/jobs/378/retry`).reply(201, retriedJob({ id: 401, name: 'test-build' }));
  await env.deliver(failedHook());
  await env.gitlabFailures.idle();
}

describe('the auto-fix outcome watcher (when the webhook does not bring it)', () => {
  it('asks GitLab about a retried job, and settles only once the retried job itself has finished', async () => {
    const env = await open();
    await retryApplied(env);
    const watcher = env.gitlabFailures.watcher!;

    gitlab().get(`${project()}/pipelines/31`).reply(200, pipeline({ id: 31, status: 'failed' }));
    gitlab().get(`${project()}/pipelines/31/jobs`).query({ per_page: '100', page: '1' }).reply(200, jobs([{ id: 401, name: 'test-build', stage: 'test', status: 'running' }]));
    expect(await watcher.sweep()).toBe(0);

    gitlab().get(`${project()}/pipelines/31`).reply(200, pipeline({ id: 31, status: 'success' }));
    gitlab().get(`${project()}/pipelines/31/jobs`).query({ per_page: '100', page: '1' }).reply(200, jobs([{ id: 401, name: 'test-build', stage: 'test', status: 'success' }]));
    expect(await watcher.sweep()).toBe(1);
    expect(outcome(env)).toBe('✓ pipeline #31 succeeded after the retry');
    expect(await watcher.sweep()).toBe(0);
  });

  it('follows the latest pipeline of a fix branch', async () => {
    const env = await open();
    traceOf(378, TRACES.missingPython);
    gitlab().get(`${project()}/repository/files/requirements.txt`).query({ ref: SHA }).reply(200, repositoryFile('requirements.txt', 'flask\n'));
    gitlab().get(`${project()}/repository/files/pyproject.toml`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
    gitlab().post(`${project()}/repository/branches`).reply(201, createdBranch('aiops/autofix/main/add-requests'));
    gitlab().post(`${project()}/repository/commits`).reply(201, { id: 'ed899a2f4b50b4370feeea94676502b42383c746', short_id: 'ed899a2f', title: 'Add' });
    gitlab().post(`${project()}/merge_requests`).reply(201, createdMergeRequest({ iid: 7, source: 'aiops/autofix/main/add-requests', target: 'main', title: 'Add' }));
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();

    gitlab()
      .get(`${project()}/pipelines`)
      .query({ ref: 'aiops/autofix/main/add-requests', per_page: '1', page: '1' })
      .reply(200, pipelineList([{ id: 55, status: 'failed', sha: SHA, ref: 'aiops/autofix/main/add-requests' }]));
    expect(await env.gitlabFailures.watcher!.sweep()).toBe(1);
    expect(outcome(env)).toBe('✗ pipeline #55 failed again; the fix was not enough');
  });

  it('gives up after a day and says so', async () => {
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const env = await open({ clock });
    await retryApplied(env);
    clock.advance(25 * 3_600_000);
    expect(await env.gitlabFailures.watcher!.sweep()).toBe(1);
    expect(outcome(env)).toBe('? aiops stopped watching pipeline #31; check it in GitLab');
  });

  it('runs on one replica at a time, under a lease that another takes over when it lapses', async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const a = await open({ prefix, clock });
    const b = await open({ prefix, clock });
    expect(await a.gitlabFailures.watcher!.holdLease()).toBe(true);
    expect(await b.gitlabFailures.watcher!.holdLease()).toBe(false);
    expect(await a.gitlabFailures.watcher!.holdLease()).toBe(true);
    clock.advance(181_000);
    expect(await b.gitlabFailures.watcher!.holdLease()).toBe(true);
    expect(await a.gitlabFailures.watcher!.holdLease()).toBe(false);
  });

  it('sweeps on its own timer, which the test controls', async () => {
    const env = await open();
    await retryApplied(env);
    gitlab().get(`${project()}/pipelines/31`).reply(200, pipeline({ id: 31, status: 'success' }));
    gitlab().get(`${project()}/pipelines/31/jobs`).query({ per_page: '100', page: '1' }).reply(200, jobs([{ id: 401, name: 'test-build', stage: 'test', status: 'success' }]));
    env.gitlabFailures.start();
    await env.sleeper.untilAsleep();
    expect(env.sleeper.requested).toEqual([60_000]);
    env.sleeper.wake();
    await env.sleeper.untilAsleep();
    expect(outcome(env)).toBe('✓ pipeline #31 succeeded after the retry');
  });
});
