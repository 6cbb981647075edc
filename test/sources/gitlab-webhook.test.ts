import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/sources/gitlab/webhook.js';
import { failedHook, publishedPipelineHook, TRACES, traceOf } from '../support/autofix.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { gitlab, project, retriedJob, useNock } from '../support/gitlab.js';
import { hookEnv, WEBHOOK_SECRET, type HookEnv } from '../support/gitlab-hooks.js';

const store = useEmbeddedStore();
useNock();

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('POST /webhooks/gitlab', () => {
  it('accepts the published Pipeline Hook with the right token, and ignores it: its project is not in the catalog', async () => {
    env = await hookEnv(store);
    const answer = await env.deliver(publishedPipelineHook());
    expect(answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'the project is not in the catalog' } });
  });

  it('refuses a wrong token and a missing one with 401, before reading the body', async () => {
    env = await hookEnv(store);
    expect(await env.deliver(failedHook(), { 'x-gitlab-token': 'not-the-secret' })).toEqual({ status: 401, body: { error: 'invalid or missing X-Gitlab-Token' } });
    expect((await env.deliver(failedHook(), { 'x-gitlab-token': undefined })).status).toBe(401);
    expect((await env.deliver('not even json', { 'x-gitlab-token': `${WEBHOOK_SECRET}x` })).status).toBe(401);
    await env.gitlabFailures.idle();
    expect(env.slack.calls).toBe(0);
  });

  it('refuses everything when GITLAB_WEBHOOK_SECRET is not set', async () => {
    env = await hookEnv(store, { env: { GITLAB_WEBHOOK_SECRET: '' } });
    expect((await env.deliver(failedHook())).status).toBe(401);
    expect(env.bot.logs.text()).toContain('GITLAB_WEBHOOK_SECRET is not set');
  });

  it('compares tokens whatever their length', () => {
    expect(tokenMatches(WEBHOOK_SECRET, WEBHOOK_SECRET)).toBe(true);
    expect(tokenMatches('', WEBHOOK_SECRET)).toBe(false);
    expect(tokenMatches(`${WEBHOOK_SECRET}${'x'.repeat(5000)}`, WEBHOOK_SECRET)).toBe(false);
    expect(tokenMatches([WEBHOOK_SECRET, WEBHOOK_SECRET], WEBHOOK_SECRET)).toBe(false);
    expect(tokenMatches(WEBHOOK_SECRET, undefined)).toBe(false);
  });

  it('answers a malformed body with 400 and a reason, never a 500', async () => {
    env = await hookEnv(store);
    expect(await env.deliver('{"object_kind": "pipeline", ')).toEqual({ status: 400, body: { error: 'the body is not JSON' } });
    const withoutProject: Record<string, unknown> = { ...failedHook() };
    delete withoutProject.project;
    expect(await env.deliver(withoutProject)).toEqual({ status: 400, body: { error: 'not a Pipeline Hook: project Invalid input: expected object, received undefined' } });
    expect((await env.deliver({ ...failedHook(), object_kind: 'build' })).status).toBe(400);
    expect((await env.deliver([1, 2, 3])).status).toBe(400);
    expect((await env.deliver('null')).status).toBe(400);
  });

  it('ignores events other than Pipeline Hook (the published Job Hook)', async () => {
    env = await hookEnv(store);
    const jobHook = JSON.parse(readFileSync(new URL('../fixtures/gitlab/webhooks/job_hook.json', import.meta.url), 'utf8')) as unknown;
    const answer = await env.deliver(jobHook, { 'x-gitlab-event': 'Job Hook' });
    expect(answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'aiops reads Pipeline Hook events only (got Job Hook)' } });
  });

  it('acks a catalog pipeline before any of the work, and does it afterwards', async () => {
    env = await hookEnv(store);
    // GitLab holds the log until the test lets it go: the ack cannot be waiting for it
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    gitlab()
      .get(`${project()}/jobs/378/trace`)
      .reply(async () => {
        asked = true;
        await held;
        return [200, TRACES.network, { 'content-type': 'text/plain' }];
      });
    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    const answer = await env.deliver(failedHook());
    expect(answer).toEqual({ status: 200, body: { status: 'accepted' } });
    expect(retried).toHaveLength(0);
    expect(env.slack.notified).toHaveLength(0);
    release();
    await env.gitlabFailures.idle();
    expect(asked).toBe(true);
    expect(retried).toHaveLength(1);
    expect(env.slack.notified).toHaveLength(1);
  });

  it('handles five identical deliveries at once as one failure: one retry, one report', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.network);
    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => env!.deliver(failedHook())));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    await env.gitlabFailures.idle();
    expect(retried).toHaveLength(1);
    expect(env.slack.notified).toHaveLength(1);
    expect((await env.bot.app.store.audit.recent(20)).filter((entry) => entry.event === 'autofix.retried')).toHaveLength(1);
  });
});
