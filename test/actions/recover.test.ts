import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { createdPipeline, gitlab, project, SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, poll, variablesOf, type GitLabBot } from '../support/gitlab-bot.js';

const store = useEmbeddedStore();
useNock();

let env: GitLabBot;
afterEach(async () => env?.bot.close());

describe('recover through GitLab', () => {
  it('triggers the default branch with AIOPS_ACTION=restart and tracks it like a deploy', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    const request = await bot.as('alice').say('restart payments in prod');
    expect(request.summary.outcome).toBe('approval');
    const bodies: Array<Record<string, unknown>> = [];
    gitlab()
      .post(`${project()}/pipeline`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(201, createdPipeline({ id: 301, ref: 'main', sha: SHA }));
    poll(301, 'success', [{ name: 'deploy', stage: 'deploy', status: 'success' }]);
    await bot.as('bob').click(request.button('Approve'));
    await bot.app.tracker!.idle();
    expect(bodies[0]!.ref).toBe('main');
    expect(variablesOf(bodies[0])).toMatchObject({ AIOPS_ACTION: 'restart', AIOPS_ENVIRONMENT: 'prod', AIOPS_APPROVED_BY: 'bob' });
    const [record] = await bot.app.store.deployments.history('payments', 'prod');
    expect(record).toMatchObject({ kind: 'recover', action: 'restart', outcome: 'success', pipelineId: 301 });
    expect(record!.version).toBeUndefined();
    // the tracker's outcome and the click's own reply race (sleeps return at once here): either may post last
    expect(bot.posts.map((post) => post.reply.text)).toContain('*Restart payments in prod* succeeded in 0s (pipeline #301).');
  });
});
