import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { commit, createdPipeline, gitlab, OTHER_SHA, project, SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, poll, variablesOf, type GitLabBot } from '../support/gitlab-bot.js';
import { ManualSleeper, RecordingNotifier, seedDeployment } from '../support/tracking.js';
import { ManualClock } from '../../src/sessions/clock.js';

/** The tracker's closing post; with sleeps that return at once it may come before the click's own reply. */

const store = useEmbeddedStore();
useNock();

const opened: GitLabBot[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((env) => env.bot.close()));
});
async function start(options: Parameters<typeof gitlabBot>[1] = {}): Promise<GitLabBot> {
  const env = await gitlabBot(store, options);
  opened.push(env);
  return env;
}

const V11 = '1111111111111111111111111111111111111111';
const passed = [{ name: 'deploy', stage: 'deploy', status: 'success' }];

/** prod ran v1.0, then v1.1, then v1.2 (now). */
async function prodHistory(env: GitLabBot): Promise<void> {
  const { store: records } = env.bot.app;
  await seedDeployment(records, env.bot.clock, { environment: 'prod', version: 'v1.0', outcome: 'success', pipelineId: 70 });
  await seedDeployment(records, env.bot.clock, { environment: 'prod', version: 'v1.1', sha: V11, outcome: 'success', pipelineId: 71 });
  await seedDeployment(records, env.bot.clock, { environment: 'prod', version: 'v1.2', sha: SHA, outcome: 'success', pipelineId: 72 });
}

function triggerRollback(version: string, sha: string, pipelineId: number): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  gitlab().get(`${project()}/repository/commits/${version}`).reply(200, commit(sha));
  gitlab()
    .post(`${project()}/pipeline`, (body: Record<string, unknown>) => bodies.push(body) > 0)
    .reply(201, createdPipeline({ id: pipelineId, ref: version, sha }));
  return bodies;
}

describe('rollback through GitLab', () => {
  it('targets the last good version before the current one and runs the same tracked path', async () => {
    const env = await start();
    const { bot } = env;
    await prodHistory(env);
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11, 'Release 1.1'));
    const request = await bot.as('alice').say('roll back payments in prod');
    expect(request.last.text).toBe('*Roll back payments in prod to v1.1*');
    expect(request.last.fields).toContainEqual({ label: 'Target version', value: 'v1.1 (11111111 "Release 1.1")' });
    expect(request.last.fields?.find((field) => field.label === 'Now')?.value).toMatch(/^v1.2 \(deploy success/);

    const bodies = triggerRollback('v1.1', V11, 201);
    poll(201, 'success', passed);
    const click = await bot.as('bob').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');
    await bot.app.tracker!.idle();
    expect(bodies[0]!.ref).toBe('v1.1');
    expect(variablesOf(bodies[0])).toMatchObject({ AIOPS_ACTION: 'rollback', AIOPS_ENVIRONMENT: 'prod', AIOPS_VERSION: 'v1.1', AIOPS_REQUESTED_BY: 'alice', AIOPS_APPROVED_BY: 'bob' });
    const [record] = await bot.app.store.deployments.history('payments', 'prod');
    expect(record).toMatchObject({ kind: 'rollback', version: 'v1.1', replaces: 'v1.2', outcome: 'success', pipelineId: 201 });

    // rolling back again goes further back, not to the v1.2 just rolled away from
    gitlab().get(`${project()}/repository/commits/v1.0`).reply(200, commit(OTHER_SHA));
    const again = await bot.as('alice').say('roll back payments in prod');
    expect(again.last.text).toBe('*Roll back payments in prod to v1.0*');
  });

  it('says it cannot tell the target without history, and how to name one', async () => {
    const env = await start();
    const turn = await env.bot.as('alice').say('roll back payments in prod');
    expect(turn.last.text).toContain('I have no record of an earlier successful deployment of *payments* to *prod*');
    expect(turn.last.context).toEqual(['Say which version: `rollback payments prod to v1.2.3`.']);
  });

  it('refuses an explicit version that does not exist', async () => {
    const env = await start();
    gitlab().get(`${project()}/repository/commits/v0.9`).reply(404, { message: '404 Commit Not Found' });
    const turn = await env.bot.as('alice').say('roll back payments in prod to v0.9');
    expect(turn.last.text).toBe('*v0.9* does not exist in acme/payments: no tag, branch or commit by that name.');
  });

  it('is not held back by red CI or the environment order, and warns about a version never run there', async () => {
    const env = await start();
    // no pipelines interceptor: a CI lookup would fail the test
    gitlab().get(`${project()}/repository/commits/v0.9`).reply(200, commit(OTHER_SHA));
    const turn = await env.bot.as('alice').say('roll back payments in prod to v0.9');
    expect(turn.summary.outcome).toBe('approval');
    expect(turn.last.sections).toContainEqual({
      title: 'Heads up',
      lines: ['v0.9 has no successful deployment to prod on record: this rolls to a version prod has not run under aiops.'],
    });
  });

  it('refuses a locked environment', async () => {
    const env = await start();
    await env.bot.as('root').say('lock payments prod: incident 42');
    const turn = await env.bot.as('alice').say('roll back payments in prod to v1.1');
    expect(turn.last.text).toContain('*payments* in *prod* is locked by root');
  });

  it.each([
    [403, { message: '403 Forbidden' }, 'GitLab answered 403 for acme/payments: the token lacks the api scope, or its user may not do this there.'],
    [404, { message: '404 Project Not Found' }, 'GitLab answered 404 for acme/payments: acme/payments was not found, or the token cannot see it.'],
    [500, { message: '500 Internal Server Error' }, 'GitLab answered 500 for acme/payments: GitLab is having trouble (1 attempt).'],
  ])('maps a %i on the trigger to a clear answer and a failed record', async (status, body, message) => {
    const env = await start();
    const { bot } = env;
    await prodHistory(env);
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    const request = await bot.as('alice').say('roll back payments in prod');
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    gitlab().post(`${project()}/pipeline`).reply(status, body);
    const click = await bot.as('bob').click(request.button('Approve'));
    expect(click.last.text).toBe(message);
    const [record] = await bot.app.store.deployments.history('payments', 'prod');
    expect(record).toMatchObject({ kind: 'rollback', outcome: 'failed' });
  });

  it('retries a trigger rate limited with 429, honouring Retry-After', async () => {
    const env = await start();
    const { bot } = env;
    await prodHistory(env);
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    const request = await bot.as('alice').say('roll back payments in prod');
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    gitlab().post(`${project()}/pipeline`).reply(429, { message: 'Retry later' }, { 'Retry-After': '2' });
    gitlab().post(`${project()}/pipeline`).reply(201, createdPipeline({ id: 202, ref: 'v1.1', sha: V11 }));
    poll(202, 'success', passed);
    await bot.as('bob').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    expect(env.retryWaits).toEqual([2250]);
  });

  it('reports a failed rollback pipeline', async () => {
    const env = await start();
    const { bot } = env;
    await prodHistory(env);
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    const request = await bot.as('alice').say('roll back payments in prod');
    triggerRollback('v1.1', V11, 203);
    poll(203, 'failed', [{ name: 'deploy', stage: 'deploy', status: 'failed', failure_reason: 'script_failure' }]);
    await bot.as('bob').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    const outcome = bot.outcome().reply;
    expect(outcome.text).toBe('*Roll back payments in prod to v1.1* failed in 0s: job deploy (deploy) failed: script failure (pipeline #203).');
    expect(outcome.context?.[0]).toBe('Say `troubleshoot payments pipeline 203` for a diagnosis.');
  });

  it('is resumed once after a restart, like a deploy', async () => {
    const prefix = store.prefix();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    const sleeper = new ManualSleeper();
    const a = await start({ prefix, clock, sleeper });
    await prodHistory(a);
    gitlab().get(`${project()}/repository/commits/v1.1`).reply(200, commit(V11));
    const request = await a.bot.as('alice').say('roll back payments in prod');
    triggerRollback('v1.1', V11, 204);
    await a.bot.as('bob').click(request.button('Approve'));
    await sleeper.untilAsleep();
    await a.bot.close();
    opened.splice(opened.indexOf(a), 1);

    const [b, c] = [await start({ prefix, clock, notifier: new RecordingNotifier('b') }), await start({ prefix, clock, notifier: new RecordingNotifier('c') })];
    poll(204, 'success', passed);
    const taken = await Promise.all([b!.bot.app.tracker!.resume(), c!.bot.app.tracker!.resume()]);
    expect(taken.flat()).toHaveLength(1);
    await Promise.all([b!.bot.app.tracker!.idle(), c!.bot.app.tracker!.idle()]);
    expect(b!.notifier.calls + c!.notifier.calls).toBe(2);
  });
});
