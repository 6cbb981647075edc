import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { createdPipeline, gitlab, GITLAB_TOKEN, OTHER_SHA, project, SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, planReads, poll, triggerReads, variablesOf, type GitLabBot } from '../support/gitlab-bot.js';
import { captureLogs } from '../support/log-capture.js';
import { newDeployment, seedDeployment } from '../support/tracking.js';

/** The tracker's closing post; with sleeps that return at once it may come before the click's own reply. */

const store = useEmbeddedStore();
useNock();

let env: GitLabBot;
afterEach(async () => env?.bot.close());

const running = [{ name: 'deploy', stage: 'deploy', status: 'running' }];
const passed = [{ name: 'deploy', stage: 'deploy', status: 'success' }];

describe('deploy through GitLab', () => {
  it('checks, triggers with the AIOPS_* variables, edits the status message and ends with the outcome', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    expect(request.summary.outcome).toBe('approval');
    expect(request.last.fields).toContainEqual({ label: 'Version', value: 'v1.2 (61049424 "Sanitize for network graph")' });
    expect(request.last.fields).toContainEqual({ label: 'Checks', value: 'CI pipeline #90 on v1.2 (61049424) passed' });

    const bodies = triggerReads({ pipelineId: 101 });
    poll(101, 'running', running);
    poll(101, 'success', passed);
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');
    await bot.app.tracker!.idle();

    const approval = await bot.app.store.approvals.get(request.button('Approve').target);
    expect(variablesOf(bodies[0])).toEqual({
      AIOPS_ACTION: 'deploy',
      AIOPS_ENVIRONMENT: 'dev',
      AIOPS_VERSION: 'v1.2',
      AIOPS_CORRELATION_ID: approval!.correlationId,
      AIOPS_REQUESTED_BY: 'dana',
      AIOPS_APPROVED_BY: 'dana',
    });
    expect(bodies[0]!.ref).toBe('v1.2');

    const status = click.posted[0];
    const started = click.posted.find((post) => post.reply.text.startsWith('Started pipeline'));
    expect(started!.reply.text).toContain('Started pipeline #101');
    expect(status!.reply.text).toBe('*Deploy payments v1.2 to dev*: pending (pipeline #101, since 14:00 UTC)');
    expect(status!.updates.map((reply) => reply.text)).toEqual([
      '*Deploy payments v1.2 to dev*: running (pipeline #101, since 14:00 UTC)',
      '*Deploy payments v1.2 to dev*: succeeded in 0s (pipeline #101)',
    ]);
    expect(status!.current.sections).toEqual([{ title: 'Jobs', lines: ['✓ deploy (deploy): success'] }]);
    const outcome = bot.outcome();
    expect(outcome.reply.text).toBe('*Deploy payments v1.2 to dev* succeeded in 0s (pipeline #101).');
    expect(outcome.reply.links).toEqual([{ label: 'Pipeline #101', url: 'https://gitlab.test/acme/payments/-/pipelines/101' }]);

    const [record] = await bot.app.store.deployments.history('payments', 'dev');
    expect(record).toMatchObject({
      kind: 'deploy',
      service: 'payments',
      environment: 'dev',
      version: 'v1.2',
      sha: SHA,
      pipelineId: 101,
      requestedBy: { key: 'console:dana', name: 'dana' },
      approvedBy: { key: 'console:dana', name: 'dana' },
      outcome: 'success',
      correlationId: approval!.correlationId,
    });
    expect(record!.finishedAt).toBeDefined();
    expect(record!.tracking).toBeUndefined();
    const audit = await bot.app.store.audit.recent(20);
    expect(audit.find((entry) => entry.event === 'deployment.finished')?.detail).toBe('Deploy payments v1.2 to dev: success, pipeline #101');
    expect(bot.logs.text()).not.toContain(GITLAB_TOKEN);
  });

  it('refuses a version that does not exist, before any approval', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${project()}/repository/commits/v9.9`).reply(404, { message: '404 Commit Not Found' });
    const turn = await env.bot.as('dana').say('deploy payments v9.9 to dev');
    expect(turn.summary.outcome).toBe('refused');
    expect(turn.last.text).toBe('*v9.9* does not exist in acme/payments: no tag, branch or commit by that name.');
    expect(turn.last.buttons).toBeUndefined();
  });

  it('refuses red CI, lets only an admin force it, and the plan says so', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads({ ci: 'failed' });
    const refused = await bot.as('dana').say('deploy payments v1.2 to dev');
    expect(refused.last.text).toBe("I won't deploy payments v1.2 to dev: the latest CI pipeline on v1.2 (61049424), #90, is red (failed).");
    expect(refused.last.context).toEqual(['Fix that first; only an admin can force past it.']);

    planReads({ ci: 'failed' });
    const notAdmin = await bot.as('dana').say('deploy payments v1.2 to dev --force');
    expect(notAdmin.last.text).toContain('Only an admin can force past failed checks, and you are *developer*');

    planReads({ ci: 'failed' });
    const forced = await bot.as('root').say('deploy payments v1.2 to dev --force');
    expect(forced.summary.outcome).toBe('approval');
    expect(forced.last.sections).toContainEqual({ title: 'Heads up', lines: ['Forced by root (admin): the latest CI pipeline on v1.2 (61049424), #90, is red (failed).'] });

    const bodies = triggerReads({ pipelineId: 102 });
    poll(102, 'success', passed);
    await bot.as('root').click(forced.button('Approve'));
    await bot.app.tracker!.idle();
    expect(variablesOf(bodies[0]).AIOPS_APPROVED_BY).toBe('root');
  });

  it('refuses a pipeline still running on the version', async () => {
    env = await gitlabBot(store);
    planReads({ ci: 'running' });
    const turn = await env.bot.as('dana').say('deploy payments v1.2 to dev');
    expect(turn.last.text).toBe("I won't deploy payments v1.2 to dev: the latest CI pipeline on v1.2 (61049424), #90, is still running.");
  });

  it('refuses a locked environment before asking GitLab anything', async () => {
    env = await gitlabBot(store);
    await env.bot.as('root').say('lock payments staging: release freeze');
    const turn = await env.bot.as('sam').say('deploy payments v1.2 to staging');
    expect(turn.summary.outcome).toBe('refused');
    expect(turn.last.text).toContain('*payments* in *staging* is locked by root');
    expect(turn.last.text).toContain('release freeze');
  });

  it('keeps the environment order: staging only after the same version passed dev', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const refused = await bot.as('sam').say('deploy payments v1.2 to staging');
    expect(refused.last.text).toBe("I won't deploy payments v1.2 to staging: v1.2 has not deployed successfully to dev yet (order dev → staging → prod).");

    await seedDeployment(bot.app.store, bot.clock, { environment: 'dev', version: 'v1.2', sha: SHA, outcome: 'failed', pipelineId: 80 });
    planReads();
    expect((await bot.as('sam').say('deploy payments v1.2 to staging')).summary.outcome).toBe('refused');

    await seedDeployment(bot.app.store, bot.clock, { environment: 'dev', version: 'v1.2', sha: SHA, outcome: 'success', pipelineId: 81 });
    planReads();
    const allowed = await bot.as('sam').say('deploy payments v1.2 to staging');
    expect(allowed.summary.outcome).toBe('approval');
    expect(allowed.last.fields?.find((field) => field.label === 'Checks')?.value).toMatch(/CI pipeline #90 on v1.2 \(61049424\) passed · v1.2 deployed to dev on 2026-03-02 14:0\d UTC/);
  });

  it('ignores the pipelines aiops itself ran when judging CI', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    await seedDeployment(bot.app.store, bot.clock, { environment: 'dev', version: 'v1.2', sha: SHA, outcome: 'failed', pipelineId: 95 });
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, { id: SHA, short_id: '6104942438c', title: 'Sanitize for network graph' });
    gitlab()
      .get(`${project()}/pipelines`)
      .query({ ref: 'v1.2', sha: SHA, per_page: '20', page: '1' })
      .reply(200, [
        { id: 95, status: 'failed', source: 'api', ref: 'v1.2', sha: SHA, web_url: 'https://gitlab.test/p/95' },
        { id: 90, status: 'success', source: 'push', ref: 'v1.2', sha: SHA, web_url: 'https://gitlab.test/p/90' },
      ]);
    const turn = await bot.as('dana').say('deploy payments v1.2 to dev');
    expect(turn.summary.outcome).toBe('approval');
  });

  it('names the project GitLab cannot find (404)', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(404, { message: '404 Project Not Found' });
    const turn = await env.bot.as('dana').say('deploy payments v1.2 to dev');
    expect(turn.last.text).toBe('GitLab answered 404 for acme/payments: acme/payments was not found, or the token cannot see it.');
    expect(turn.last.context?.[0]).toContain('gitlab.com/project-slug');
  });

  it('says what to do when the token may not trigger pipelines (403), and records the failure', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, { id: SHA, short_id: '6104942438c', title: 't' });
    gitlab().post(`${project()}/pipeline`).reply(403, { message: '403 Forbidden' });
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('refused');
    expect(click.last.text).toBe('GitLab answered 403 for acme/payments: the token lacks the api scope, or its user may not do this there.');
    expect((await bot.app.store.approvals.get(request.button('Approve').target))?.status).toBe('failed');
    const [record] = await bot.app.store.deployments.history('payments', 'dev');
    expect(record).toMatchObject({ outcome: 'failed', detail: click.last.text });
    expect(bot.app.tracker!.watching).toEqual([]);
  });

  it('retries reads through a 500 and gives up with a clear answer', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${project()}/repository/commits/v1.2`).times(4).reply(500, { message: '500 Internal Server Error' });
    const turn = await env.bot.as('dana').say('deploy payments v1.2 to dev');
    expect(turn.last.text).toBe('GitLab answered 500 for acme/payments: GitLab is having trouble (4 attempts).');
    expect(env.retryWaits).toEqual([250, 500, 1000]);
  });

  it('does not retry a trigger that failed with 500, so a pipeline never starts twice', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, { id: SHA, short_id: '6104942438c', title: 't' });
    gitlab().post(`${project()}/pipeline`).once().reply(500, { message: '500 Internal Server Error' });
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe('GitLab answered 500 for acme/payments: GitLab is having trouble (1 attempt).');
    expect(click.last.context).toEqual(['The request may not have gone through; check GitLab before you try again.']);
  });

  it('waits as GitLab asks on 429, then triggers', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, { id: SHA, short_id: '6104942438c', title: 't' });
    gitlab().post(`${project()}/pipeline`).reply(429, { message: 'Retry later' }, { 'Retry-After': '3' });
    const bodies: Array<Record<string, unknown>> = [];
    gitlab()
      .post(`${project()}/pipeline`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(201, createdPipeline({ id: 103, ref: 'v1.2', sha: SHA }));
    poll(103, 'success', passed);
    const click = await bot.as('dana').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    expect(click.summary.outcome).toBe('executed');
    expect(bodies).toHaveLength(1);
    expect(env.retryWaits).toEqual([3250]);
  });

  it('reports a failed pipeline with the failing job, its log and what to do next', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    triggerReads({ pipelineId: 104 });
    poll(104, 'running', running);
    poll(104, 'failed', [{ name: 'deploy', stage: 'deploy', status: 'failed', failure_reason: 'script_failure' }]);
    const click = await bot.as('dana').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    const status = click.posted[0]!;
    expect(status.current.text).toBe('*Deploy payments v1.2 to dev*: failed in 0s: job deploy (deploy) failed: script failure (pipeline #104)');
    expect(status.current.tone).toBe('error');
    const outcome = bot.outcome().reply;
    expect(outcome.links).toContainEqual({ label: 'Log of deploy', url: 'https://gitlab.test/acme/payments/-/jobs/1040' });
    expect(outcome.context?.[0]).toBe('Say `troubleshoot payments pipeline 104` for a diagnosis, or `rollback payments dev`.');
    const [record] = await bot.app.store.deployments.history('payments', 'dev');
    expect(record?.outcome).toBe('failed');
    const audit = await bot.app.store.audit.recent(20);
    expect(audit.find((entry) => entry.event === 'deployment.finished')?.detail).toBe('Deploy payments v1.2 to dev: failed, pipeline #104');
  });

  it('refuses a second deploy while one is running in the environment', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    const open = await bot.app.store.deployments.create(
      newDeployment({ environment: 'dev', version: 'v1.1', correlationId: 'c-other', conversation: { platform: 'console', channel: 'c', thread: 't9' } }),
    );
    await bot.app.store.deployments.started(open.id, { id: 99, url: 'https://gitlab.test/p/99', status: 'running', sha: OTHER_SHA });
    planReads();
    const turn = await bot.as('dana').say('deploy payments v1.2 to dev');
    expect(turn.last.text).toBe("I won't deploy payments v1.2 to dev: payments dev is busy: Deploy payments v1.1 to dev (pipeline #99, by alice).");
  });

  it('refuses at approval time when the ref moved since the plan', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads({ version: 'main' });
    const request = await bot.as('dana').say('deploy payments main to dev');
    gitlab().get(`${project()}/repository/commits/main`).reply(200, { id: OTHER_SHA, short_id: 'ed899a2f4b5', title: 'newer' });
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe('*main* moved from 61049424 to ed899a2f since the plan was made; nothing was triggered.');
  });

  it('deploys a commit from the default branch, with the sha as AIOPS_VERSION', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    const short = SHA.slice(0, 11);
    gitlab().get(`${project()}/repository/commits/${short}`).reply(200, { id: SHA, short_id: '6104942438c', title: 't' });
    gitlab()
      .get(`${project()}/pipelines`)
      .query({ sha: SHA, per_page: '20', page: '1' })
      .reply(200, [{ id: 90, status: 'success', source: 'push', ref: 'main', sha: SHA, web_url: 'https://gitlab.test/p/90' }]);
    const request = await bot.as('dana').say(`deploy payments ${short} to dev`);
    const bodies = triggerReads({ version: short, pipelineId: 105, ref: 'main' });
    poll(105, 'success', passed);
    await bot.as('dana').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    expect(bodies[0]!.ref).toBe('main');
    expect(variablesOf(bodies[0]).AIOPS_VERSION).toBe(short);
  });

  it('stays honest in dry-run: reads to check, shows the trigger, sends nothing', async () => {
    env = await gitlabBot(store, { dryRun: true });
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe('*Dry-run:* Deploy payments v1.2 to dev. Nothing was changed (AIOPS_DRY_RUN=true).');
    const calls = click.last.sections?.[0]?.lines ?? [];
    expect(calls[0]).toBe('GET https://gitlab.test/api/v4/projects/acme%2Fpayments/repository/commits/v1.2');
    expect(calls[1]).toMatch(/^POST https:\/\/gitlab.test\/api\/v4\/projects\/acme%2Fpayments\/pipeline \{"ref":"v1.2","variables":\[.*"AIOPS_APPROVED_BY","value":"dana"/);
    expect(await bot.app.store.deployments.history('payments', 'dev')).toEqual([]);
  });

  it('never lets the token reach the chat or the log, even when GitLab fails', async () => {
    // a logger that masks nothing: only the code keeping the token out can pass this
    const logs = captureLogs([], 'trace');
    env = await gitlabBot(store, { log: logs.log });
    const { bot } = env;
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(401, { message: '401 Unauthorized' });
    await bot.as('dana').say('deploy payments v1.2 to dev');
    planReads();
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, { id: SHA, short_id: '6104942438c', title: 't' });
    gitlab().post(`${project()}/pipeline`).reply(403, { error: 'insufficient_scope', scope: 'api' });
    await bot.as('dana').click(request.button('Approve'));
    gitlab().get(`${project()}/repository/commits/v1.3`).times(4).reply(503, 'Service Unavailable');
    await bot.as('dana').say('deploy payments v1.3 to dev');
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(logs.text()).not.toContain(GITLAB_TOKEN);
    expect(JSON.stringify(bot.posts)).not.toContain(GITLAB_TOKEN);
    const audit = await bot.app.store.audit.recent(50);
    expect(JSON.stringify(audit)).not.toContain(GITLAB_TOKEN);
  });
});
