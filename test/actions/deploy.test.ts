import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { gitlab, GITLAB_TOKEN, project, SHA, OTHER_SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, planReads, poll, triggerReads, variablesOf, type GitLabBot } from '../support/gitlab-bot.js';
import { seedDeployment } from '../support/tracking.js';

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

    const [status, started] = click.posted;
    expect(started!.reply.text).toContain('Started pipeline #101');
    expect(status!.reply.text).toBe('*Deploy payments v1.2 to dev*: pending (pipeline #101, since 14:00 UTC)');
    expect(status!.updates.map((reply) => reply.text)).toEqual([
      '*Deploy payments v1.2 to dev*: running (pipeline #101, since 14:00 UTC)',
      '*Deploy payments v1.2 to dev*: succeeded in 0s (pipeline #101)',
    ]);
    expect(status!.current.sections).toEqual([{ title: 'Jobs', lines: ['✓ deploy (deploy): success'] }]);
    const outcome = bot.posts.at(-1)!;
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
});
