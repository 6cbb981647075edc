import { afterEach, describe, expect, it } from 'vitest';
import { TestBot } from '../support/bot.js';
import { SECRETS, TRACES, troubleshootReads } from '../support/autofix.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { createdBranch, createdMergeRequest, gitlab, GITLAB_URL, pipeline, project, repositoryFile, retriedJob, SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, type GitLabBot } from '../support/gitlab-bot.js';
import { leaked, storeText } from '../support/leaks.js';

const store = useEmbeddedStore();
useNock();

let env: GitLabBot | undefined;
let plain: TestBot | undefined;
afterEach(async () => {
  await env?.bot.close();
  await plain?.close();
  env = undefined;
  plain = undefined;
});

const CATALOG_PROJECTS = ['acme/payments', 'acme/orders', 'acme/checkout', 'acme/billing-api', 'acme/search', 'acme/notifications', 'acme/inventory'];

describe('troubleshoot from chat', () => {
  it('diagnoses the latest failed pipeline of a service, with masked evidence, and applies the fix once approved', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    troubleshootReads({
      pipelineId: 1234,
      jobs: [
        { id: 5000, name: 'build', stage: 'build', status: 'success' },
        { id: 5001, name: 'pytest', trace: TRACES.missingPython },
      ],
    });
    const answer = await bot.as('victor').say('why did the payments pipeline fail?');
    expect(answer.summary.outcome).toBe('executed');
    const reply = answer.last;
    expect(reply.text).toBe('*Pipeline #1234 of payments failed: Missing Python package*');
    expect(reply.fields).toEqual([
      { label: 'Project', value: 'acme/payments' },
      { label: 'Branch', value: 'main' },
      { label: 'Pipeline', value: `#1234 at ${SHA.slice(0, 8)}` },
    ]);
    const sections = Object.fromEntries((reply.sections ?? []).map((section) => [section.title, section.lines]));
    expect(sections['Job pytest (test): Missing Python package']![0]).toContain('`requests` is missing');
    expect(sections.Evidence).toEqual(["line 21: E   ModuleNotFoundError: No module named 'requests'"]);
    expect(sections.Fix![0]).toContain('Suggested fix: add requests to requirements.txt or pyproject.toml in a merge request.');
    expect(reply.context?.[0]).toBe('2 secrets were masked in the logs before analysis.');
    expect(reply.links?.map((link) => link.label)).toEqual(['Pipeline #1234', 'Log of pytest']);

    // a viewer asked; only someone who may `fix` can apply it
    const refused = await bot.as('victor').click(answer.button('Apply suggested fix'));
    expect(refused.text).toContain('Only the requester, or someone allowed to fix');

    const bodies: Record<string, unknown[]> = { branch: [], commit: [], mr: [] };
    gitlab().get(`${project()}/repository/files/requirements.txt`).query({ ref: SHA }).reply(200, repositoryFile('requirements.txt', 'flask==3.0.0\n', 'c0ffee'));
    gitlab().get(`${project()}/repository/files/pyproject.toml`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
    gitlab().post(`${project()}/repository/branches`, (body: unknown) => bodies.branch!.push(body) > 0).reply(201, createdBranch('aiops/autofix/main/add-requests'));
    gitlab().post(`${project()}/repository/commits`, (body: unknown) => bodies.commit!.push(body) > 0).reply(201, { id: 'ed899a2f4b50b4370feeea94676502b42383c746', short_id: 'ed899a2f', title: 'Add requests' });
    gitlab()
      .post(`${project()}/merge_requests`, (body: unknown) => bodies.mr!.push(body) > 0)
      .reply(201, createdMergeRequest({ iid: 12, source: 'aiops/autofix/main/add-requests', target: 'main', title: 'Add requests to requirements.txt (aiops fix for pipeline #1234)' }));
    const applied = await bot.as('dana').click(answer.button('Apply suggested fix'));
    expect(applied.summary.outcome).toBe('executed');
    expect(bodies.branch).toEqual([{ branch: 'aiops/autofix/main/add-requests', ref: SHA }]);
    expect(bodies.commit).toEqual([
      {
        branch: 'aiops/autofix/main/add-requests',
        commit_message: expect.stringMatching(/^Add requests to requirements\.txt\n\nJob pytest of pipeline #1234 failed: /),
        actions: [{ action: 'update', file_path: 'requirements.txt', content: 'flask==3.0.0\nrequests\n', last_commit_id: 'c0ffee' }],
      },
    ]);
    expect(bodies.mr).toEqual([
      {
        source_branch: 'aiops/autofix/main/add-requests',
        target_branch: 'main',
        title: 'Add requests to requirements.txt (aiops fix for pipeline #1234)',
        description: expect.stringContaining("E   ModuleNotFoundError: No module named 'requests'"),
        labels: 'aiops,auto-fix',
        remove_source_branch: true,
      },
    ]);
    const report = applied.posted.find((post) => post.reply.text.startsWith('*Auto-fix for payments'))!.reply;
    expect(report.text).toBe('*Auto-fix for payments: merge request !12 adds requests*');
    expect(report.fields?.find((field) => field.label === 'Fix applied')?.value).toBe('Merge request !12 adds requests to requirements.txt (branch aiops/autofix/main/add-requests into main)');
    expect(report.context?.[0]).toMatch(/^Applied by aiops, approved by dana \(pb-dep-001, confidence 0\.89\) · ref c-/);
    expect(applied.last.text).toContain('Fix applied: Add requests to payments in a merge request into main.');

    const events = (await bot.app.store.audit.recent(30)).map((entry) => `${entry.actorName} ${entry.event}`);
    expect(events).toEqual(expect.arrayContaining(['aiops approval.requested', 'dana approval.approved', 'dana autofix.branch_created', 'dana autofix.committed', 'dana autofix.mr_opened', 'dana executed']));

    // clicking again changes nothing
    const again = await bot.as('sam').click(answer.button('Apply suggested fix'));
    expect(again.text).toContain('Already approved by dana');

    const everything = [JSON.stringify(bot.posts), JSON.stringify(env.notifier.notified), bot.logs.text(), JSON.stringify(bodies), await storeText(bot.app.store)];
    expect(leaked(SECRETS, ...everything)).toEqual([]);
  });

  it('finds which catalog project has a pipeline id, and suggests a retry it would not apply alone', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    for (const path of CATALOG_PROJECTS.filter((path) => path !== 'acme/payments')) {
      gitlab().get(`${project(path)}/pipelines/4321`).reply(404, { message: '404 Not found' });
    }
    gitlab().get(`${project()}/pipelines/4321`).reply(200, pipeline({ id: 4321, status: 'failed', sha: SHA, ref: 'main' }));
    troubleshootReads({ pipelineId: 4321, byId: true, jobs: [{ id: 6001, name: 'unit', trace: TRACES.maybeFlaky }] });
    const answer = await bot.as('dana').say('troubleshoot pipeline 4321');
    expect(answer.last.text).toBe('*Pipeline #4321 of payments failed: Flaky test*');
    const fix = answer.last.sections?.find((section) => section.title === 'Fix')?.lines ?? [];
    expect(fix[0]).toBe('Suggested fix: retry the job. Not applied by itself: confidence 0.56 is below 0.6.');

    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/6001/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 6002, name: 'unit' }));
    const applied = await bot.as('dana').click(answer.button('Apply suggested fix'));
    expect(retried).toHaveLength(1);
    const report = applied.posted.find((post) => post.reply.text.startsWith('*Auto-fix'))!.reply;
    expect(report.text).toBe('*Auto-fix for payments: retried job unit*');
    expect(report.links).toContainEqual({ label: 'Job #6002', url: `${GITLAB_URL}/acme/payments/-/jobs/6002` });
    const record = await bot.app.store.autofixes.get('acme/payments#4321#unit#retry');
    expect(record).toMatchObject({ status: 'applied', origin: 'approved', by: { name: 'dana' }, newJob: { id: 6002 }, message: { id: expect.any(String) } });
  });

  it('says what aiops already did instead of offering the same fix again', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    const fixes = bot.app.store.autofixes;
    await fixes.claim({ id: 'acme/payments#1234#npm-ci#retry', service: 'payments', project: 'acme/payments', pipelineId: 1234, jobName: 'npm-ci', jobId: 5001, playbookId: 'pb-infra-001', kind: 'retry', origin: 'auto', by: { key: 'aiops:autofix', name: 'aiops' }, correlationId: 'c-hook' });
    await fixes.applied('acme/payments#1234#npm-ci#retry', { newJob: { id: 5002, url: `${GITLAB_URL}/acme/payments/-/jobs/5002` }, watch: 'pipeline:acme/payments#1234' });
    troubleshootReads({ pipelineId: 1234, jobs: [{ id: 5001, name: 'npm-ci', trace: TRACES.network }] });
    const answer = await bot.as('victor').say('why did the payments pipeline fail?');
    expect(answer.last.sections?.find((section) => section.title === 'Fix')?.lines).toEqual(['Already retried by aiops (auto-fix) as job #5002. A job is retried once per pipeline.']);
    expect(answer.last.buttons).toBeUndefined();
  });

  it('in dry-run, still reads and diagnoses, and the fix only shows the calls it would make', async () => {
    env = await gitlabBot(store, { dryRun: true });
    const { bot } = env;
    troubleshootReads({ pipelineId: 1234, jobs: [{ id: 5001, name: 'unit', trace: TRACES.maybeFlaky }] });
    const answer = await bot.as('dana').say('troubleshoot payments');
    expect(answer.last.sections?.find((section) => section.title === 'Fix')?.lines[1]).toBe('*Apply suggested fix* applies it once (the developer role or above); in dry-run it only shows the calls it would make.');
    const applied = await bot.as('dana').click(answer.button('Apply suggested fix'));
    expect(applied.last.text).toBe('*Dry-run:* Retry job unit of payments pipeline #1234. Nothing was changed (AIOPS_DRY_RUN=true).');
    expect(applied.last.sections).toEqual([{ title: 'Would call', lines: [`POST ${GITLAB_URL}/api/v4/projects/acme%2Fpayments/jobs/5001/retry`] }]);
    expect(await bot.app.store.autofixes.get('acme/payments#1234#unit#retry')).toBeUndefined();
  });

  it('says there is nothing to diagnose when the pipeline passed', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${project()}/pipelines/77`).reply(200, pipeline({ id: 77, status: 'success' }));
    const answer = await env.bot.as('victor').say('troubleshoot payments pipeline 77');
    expect(answer.last.text).toBe('Pipeline #77 of *payments* passed: there is no failure to diagnose.');
  });

  it('without GitLab, says exactly what it would read (by service, and by pipeline id across the catalog)', async () => {
    plain = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix() });
    const byService = await plain.as('victor').say('why did the payments pipeline fail?');
    expect(byService.last.text).toBe('*Dry-run:* Diagnose the latest failed pipeline of payments. Nothing was changed (GitLab is not configured: set GITLAB_URL and GITLAB_TOKEN).');
    expect(byService.last.sections).toEqual([
      {
        title: 'Would call',
        lines: [
          'GET https://gitlab.example.com/api/v4/projects/acme%2Fpayments/pipelines?status=failed&per_page=1&page=1',
          'GET https://gitlab.example.com/api/v4/projects/acme%2Fpayments/pipelines/<id>/jobs?per_page=100&page=1',
          'GET https://gitlab.example.com/api/v4/projects/acme%2Fpayments/jobs/<each failed job, up to 3>/trace',
        ],
      },
    ]);
    const byId = await plain.as('victor').say('troubleshoot pipeline 1234');
    const lines = byId.last.sections?.[0]?.lines ?? [];
    expect(lines.slice(0, CATALOG_PROJECTS.length)).toEqual(CATALOG_PROJECTS.map((path) => `GET https://gitlab.example.com/api/v4/projects/${encodeURIComponent(path)}/pipelines/1234`));
    expect(lines.at(-1)).toBe('GET https://gitlab.example.com/api/v4/projects/<the project that has it>/jobs/<each failed job, up to 3>/trace');
  });
});
