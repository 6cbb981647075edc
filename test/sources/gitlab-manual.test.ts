import { describe, expect, it } from 'vitest';
import { failedHook, SECRETS, TRACES, traceOf } from '../support/autofix.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { gitlab, GITLAB_URL, project, retriedJob, SHA, useNock } from '../support/gitlab.js';
import { useHookEnvs } from '../support/gitlab-hooks.js';
import { leaked, storeText } from '../support/leaks.js';

const store = useEmbeddedStore();
useNock();

const open = useHookEnvs(store);

const section = (reply: { sections?: Array<{ title?: string; lines: string[] }> }, title: string): string[] | undefined => reply.sections?.find((item) => item.title === title)?.lines;

describe('manual review', () => {
  it('posts the diagnosis, the evidence and the suggested steps of a genuine test failure, with nothing to click', async () => {
    const env = await open();
    traceOf(378, TRACES.testFailure);
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const [message] = env.slack.notified;
    expect(message!.target).toEqual({ platform: 'slack', channel: 'C0PAYMENTS' });
    const reply = message!.reply;
    expect(reply.text).toBe('*Manual review needed: payments pipeline #31 failed in job test-build: Test failure*');
    expect(reply.tone).toBe('warning');
    expect(reply.fields).toEqual([
      { label: 'Project', value: 'acme/payments' },
      { label: 'Branch', value: 'main' },
      { label: 'Pipeline', value: `#31 at ${SHA.slice(0, 8)}` },
    ]);
    expect(section(reply, 'Job test-build (test): Test failure')?.[0]).toBe('Test `tests/test_refunds.py::test_refund_rounds_down` fails: the code and the test disagree.');
    expect(section(reply, 'Evidence')).toContain('line 20: FAILED tests/test_refunds.py::test_refund_rounds_down - assert 10.01 == 10.0');
    expect(section(reply, 'Suggested steps')?.length).toBeGreaterThan(0);
    expect(reply.buttons).toBeUndefined();
    expect(reply.context).toEqual(['1 secret was masked in the logs before analysis.', expect.stringMatching(/^Diagnosed by aiops when GitLab reported the failure · ref c-/)]);
    expect(leaked(SECRETS, JSON.stringify(env.slack.notified), env.bot.logs.text(), await storeText(env.bot.app.store))).toEqual([]);
  });

  it('offers a fix the policy would not apply alone behind Apply suggested fix, which a developer approves and a viewer cannot', async () => {
    const env = await open();
    traceOf(378, TRACES.maybeFlaky);
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const [message] = env.slack.notified;
    expect(section(message!.reply, 'Fix')).toEqual([
      'Suggested fix: retry the job. Not applied by itself: confidence 0.56 is below 0.6.',
      '*Apply suggested fix* applies it once, for anyone the policy lets fix.',
    ]);
    const apply = message!.reply.buttons!.find((button) => button.label === 'Apply suggested fix')!;
    const approval = await env.bot.app.store.approvals.get(apply.target);
    expect(approval).toMatchObject({ action: 'fix', status: 'pending', requester: { key: 'aiops:autofix' }, message: message!.ref, conversation: { platform: 'slack', channel: 'C0PAYMENTS' } });

    const refused = await env.click('victor', message!, 'Apply suggested fix');
    expect(refused.replies.map((reply) => reply.text)).toEqual(['Only the requester, or someone allowed to fix in this environment, can decide this.']);

    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 402, name: 'test-build' }));
    const applied = await env.click('dana', message!, 'Apply suggested fix');
    expect(retried).toHaveLength(1);
    expect(applied.replies.map((reply) => reply.text)).toEqual([
      '*Auto-fix for payments: retried job test-build*',
      'Fix applied: Retry job test-build of payments pipeline #31. I\'ll edit the outcome into the report when the pipeline finishes.',
    ]);
    // the suggestion itself now says who approved it, in place of its buttons
    const settled = env.slack.updated.find((update) => update.ref.id === message!.ref.id)!.reply;
    expect(settled.buttons).toBeUndefined();
    expect(settled.context?.at(-1)).toMatch(/^Approved by dana at \d\d:\d\d UTC$/);
    // the report was posted in the suggestion's thread; its outcome is edited in there
    const report = env.slack.notified.find((item) => item.reply.text.startsWith('*Auto-fix'))!;
    expect(report.target).toEqual({ platform: 'slack', channel: 'C0PAYMENTS', thread: message!.ref.id });
    await env.deliver(failedHook({ status: 'success', jobs: [{ id: 402, name: 'test-build', status: 'success' }] }));
    await env.gitlabFailures.idle();
    expect(env.slack.updated.at(-1)!.ref).toEqual(report.ref);
    expect(await env.bot.app.store.autofixes.get('acme/payments#31#test-build#retry')).toMatchObject({ origin: 'approved', by: { key: 'slack:dana' }, status: 'applied' });
    const events = (await env.bot.app.store.audit.recent(20)).map((entry) => `${entry.actorName} ${entry.event}`);
    expect(events).toEqual(expect.arrayContaining(['aiops approval.requested', 'dana approval.approved', 'dana autofix.retried', 'dana executed']));
  });

  it('in dry-run, diagnoses and says exactly what the fix would call, changing nothing', async () => {
    const env = await open({ env: { AIOPS_DRY_RUN: 'true' } });
    traceOf(378, TRACES.network);
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const reply = env.slack.notified[0]!.reply;
    expect(reply.text).toBe('*Manual review needed: payments pipeline #31 failed in job test-build: Transient network or runner failure*');
    expect(section(reply, 'Fix')).toEqual([
      'The auto-fix policy would retry the job; dry-run (AIOPS_DRY_RUN=true), so nothing was changed. It would call:',
      `POST ${GITLAB_URL}/api/v4/projects/acme%2Fpayments/jobs/378/retry`,
    ]);
    expect(await env.bot.app.store.autofixes.get('acme/payments#31#test-build#retry')).toBeUndefined();
  });

  it('without GitLab credentials, says the logs could not be read and what would have been', async () => {
    const env = await open({ gitlab: false });
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const reply = env.slack.notified[0]!.reply;
    expect(reply.text).toBe('*Manual review needed: payments pipeline #31 failed in test-build*');
    expect(reply.sections).toEqual([
      { title: 'Not diagnosed: GitLab is not configured (set GITLAB_URL and GITLAB_TOKEN). It would read', lines: ['GET https://gitlab.example.com/api/v4/projects/acme%2Fpayments/jobs/378/trace'] },
    ]);
  });

  it('goes to AIOPS_ALERT_CHANNEL for a service without a channel of its own', async () => {
    const env = await open({ env: { AIOPS_ALERT_CHANNEL: 'slack:C0DEFAULT' } });
    traceOf(378, TRACES.testFailure, 'acme/checkout');
    await env.deliver(failedHook({ path: 'acme/checkout' }));
    await env.gitlabFailures.idle();
    expect(env.slack.notified.map((item) => item.target)).toEqual([{ platform: 'slack', channel: 'C0DEFAULT' }]);
  });
});

describe('across replicas', () => {
  it('two replicas receiving the same failure fix it once', async () => {
    const prefix = store.prefix();
    const a = await open({ prefix });
    const b = await open({ prefix });
    traceOf(378, TRACES.network);
    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    await Promise.all([a.deliver(failedHook()), b.deliver(failedHook()), a.deliver(failedHook()), b.deliver(failedHook())]);
    await Promise.all([a.gitlabFailures.idle(), b.gitlabFailures.idle()]);
    expect(retried).toHaveLength(1);
    expect(a.slack.notified.length + b.slack.notified.length).toBe(1);
  });
});
