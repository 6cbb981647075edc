import { afterEach, describe, expect, it } from 'vitest';
import { failedHook, SECRETS, TRACES, traceOf } from '../support/autofix.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { createdBranch, createdMergeRequest, gitlab, GITLAB_URL, project, repositoryFile, retriedJob, SHA, useNock } from '../support/gitlab.js';
import { hookEnv, type HookEnv } from '../support/gitlab-hooks.js';
import { leaked, storeText } from '../support/leaks.js';

const store = useEmbeddedStore();
useNock();

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const field = (reply: { fields?: Array<{ label: string; value: string }> }, label: string): string | undefined => reply.fields?.find((item) => item.label === label)?.value;

/** GitLab's answers to the dependency fix, collecting what aiops sends. */
function mergeRequestCalls(options: { manifest: string; content: string; branch: string; iid: number; missing?: string }): Record<'branch' | 'commit' | 'mr', unknown[]> {
  const sent: Record<'branch' | 'commit' | 'mr', unknown[]> = { branch: [], commit: [], mr: [] };
  gitlab().get(`${project()}/repository/files/${options.manifest}`).query({ ref: SHA }).reply(200, repositoryFile(options.manifest, options.content, 'c0ffee'));
  if (options.missing) gitlab().get(`${project()}/repository/files/${options.missing}`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
  gitlab().post(`${project()}/repository/branches`, (body: unknown) => sent.branch.push(body) > 0).reply(201, createdBranch(options.branch));
  gitlab().post(`${project()}/repository/commits`, (body: unknown) => sent.commit.push(body) > 0).reply(201, { id: 'ed899a2f4b50b4370feeea94676502b42383c746', short_id: 'ed899a2f', title: 'Add' });
  gitlab().post(`${project()}/merge_requests`, (body: unknown) => sent.mr.push(body) > 0).reply(201, createdMergeRequest({ iid: options.iid, source: options.branch, target: 'main', title: 'Add' }));
  return sent;
}

describe('auto-fix: retry a job', () => {
  it('retries a transient network failure once, reports it, and edits the outcome in when the pipeline finishes', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.network);
    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();

    expect(retried).toEqual([{}]);
    const [report] = env.slack.notified;
    expect(report!.target).toEqual({ platform: 'slack', channel: 'C0PAYMENTS' });
    expect(report!.reply.text).toBe('*Auto-fix for payments: retried job test-build*');
    expect(report!.reply.fields).toEqual([
      { label: 'Project', value: 'acme/payments' },
      { label: 'Branch', value: 'main' },
      { label: 'Pipeline', value: '#31 failed in job test-build (test)' },
      { label: 'Root cause', value: 'A transient network or runner failure: something the job depends on (a registry, Git, the runner itself) did not answer.' },
      { label: 'Fix applied', value: 'Retried job test-build as #401' },
      { label: 'Outcome', value: 'waiting for pipeline #31 to finish' },
    ]);
    expect(report!.reply.links).toEqual([
      { label: 'Pipeline #31', url: `${GITLAB_URL}/acme/payments/-/pipelines/31` },
      { label: 'Log of test-build', url: `${GITLAB_URL}/acme/payments/-/jobs/378` },
      { label: 'Job #401', url: `${GITLAB_URL}/acme/payments/-/jobs/401` },
    ]);
    expect(report!.reply.context?.[0]).toMatch(/^Applied by aiops under the auto-fix policy \(pb-infra-001, confidence 0\.\d\d\) · ref c-/);

    // the pipeline finishes: the same message is edited, once, however often GitLab says so
    const done = failedHook({ status: 'success', jobs: [{ id: 401, name: 'test-build', status: 'success' }] });
    await Promise.all([env.deliver(done), env.deliver(done)]);
    await env.gitlabFailures.idle();
    expect(env.slack.updated).toHaveLength(1);
    expect(env.slack.updated[0]!.ref).toEqual(report!.ref);
    expect(field(env.slack.updated[0]!.reply, 'Outcome')).toBe('✓ pipeline #31 succeeded after the retry');
    expect(env.slack.updated[0]!.reply.tone).toBe('success');
    const events = (await env.bot.app.store.audit.recent(20)).map((entry) => `${entry.actor} ${entry.event}`);
    expect(events.filter((event) => event.startsWith('aiops:autofix autofix.'))).toEqual(['aiops:autofix autofix.finished', 'aiops:autofix autofix.retried']);
  });

  it('does not retry the same job twice in a pipeline: a second failure goes to a person, and the report says the retry failed', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.network);
    gitlab().post(`${project()}/jobs/378/retry`).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();

    // the retried job fails the same way: a new job id, so a new failure of the same pipeline
    traceOf(401, TRACES.network);
    await env.deliver(failedHook({ jobs: [{ id: 401, name: 'test-build' }] }));
    await env.gitlabFailures.idle();
    expect(env.slack.updated).toHaveLength(1);
    expect(field(env.slack.updated[0]!.reply, 'Outcome')).toBe('✗ pipeline #31 failed again; aiops retries a job only once, so it needs a person');
    const manual = env.slack.notified[1]!.reply;
    expect(manual.text).toBe('*Manual review needed: payments pipeline #31 failed in job test-build: Transient network or runner failure*');
    expect(manual.sections?.find((section) => section.title === 'Fix')?.lines).toEqual(['Already retried by aiops (auto-fix) as job #401: failed. A job is retried once per pipeline.']);
    expect(manual.buttons).toBeUndefined();
  });

  it('never retries a job that deploys, even a network failure', async () => {
    env = await hookEnv(store);
    traceOf(380, TRACES.network);
    await env.deliver(failedHook({ jobs: [{ id: 380, name: 'production', stage: 'deploy', environment: 'production' }] }));
    await env.gitlabFailures.idle();
    const manual = env.slack.notified[0]!.reply;
    expect(manual.text).toContain('*Manual review needed: payments pipeline #31 failed in job production');
    expect(manual.sections?.find((section) => section.title === 'Fix')?.lines[0]).toBe(
      'A fix exists (retry the job), but job production deploys to production; aiops does not retry deployments (retry it in GitLab, or ask aiops to deploy).',
    );
  });

  it('leaves pipelines aiops triggered (deploys, rollbacks, recoveries) to their own thread', async () => {
    env = await hookEnv(store);
    await env.deliver(failedHook({ variables: [{ key: 'AIOPS_ACTION', value: 'deploy' }] }));
    await env.gitlabFailures.idle();
    expect(env.slack.calls).toBe(0);
  });
});

describe('auto-fix: add a missing dependency in a merge request', () => {
  it('adds the package to requirements.txt on a new branch, opens the merge request, and reports it', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingPython);
    const sent = mergeRequestCalls({ manifest: 'requirements.txt', content: 'flask==3.0.0\n', branch: 'aiops/autofix/main/add-requests', iid: 7, missing: 'pyproject.toml' });
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();

    expect(sent.branch).toEqual([{ branch: 'aiops/autofix/main/add-requests', ref: SHA }]);
    expect(sent.commit).toEqual([
      {
        branch: 'aiops/autofix/main/add-requests',
        commit_message: expect.stringMatching(/^Add requests to requirements\.txt\n\n.*\n\nProposed by aiops under its auto-fix policy \(ref c-\w+\)\.$/s),
        actions: [{ action: 'update', file_path: 'requirements.txt', content: 'flask==3.0.0\nrequests\n', last_commit_id: 'c0ffee' }],
      },
    ]);
    const [mr] = sent.mr as Array<Record<string, unknown>>;
    expect(mr).toMatchObject({ source_branch: 'aiops/autofix/main/add-requests', target_branch: 'main', title: 'Add requests to requirements.txt (aiops fix for pipeline #31)', labels: 'aiops,auto-fix', remove_source_branch: true });
    expect(mr!.description).toContain(`Job [test-build](${GITLAB_URL}/acme/payments/-/jobs/378) of pipeline [#31](${GITLAB_URL}/acme/payments/-/pipelines/31) on \`main\` failed`);
    expect(mr!.description).toContain("E   ModuleNotFoundError: No module named 'requests'");

    const report = env.slack.notified[0]!.reply;
    expect(report.text).toBe('*Auto-fix for payments: merge request !7 adds requests*');
    expect(field(report, 'Fix applied')).toBe('Merge request !7 adds requests to requirements.txt (branch aiops/autofix/main/add-requests into main)');
    expect(report.links).toContainEqual({ label: 'Merge request !7', url: `${GITLAB_URL}/acme/payments/-/merge_requests/7` });
    const events = (await env.bot.app.store.audit.recent(20)).map((entry) => entry.event).filter((event) => event.startsWith('autofix.'));
    expect(events.sort()).toEqual(['autofix.branch_created', 'autofix.committed', 'autofix.mr_opened']);

    // the fix branch's pipeline passes: the report says so; it is never fixed itself
    await env.deliver(failedHook({ pipelineId: 32, status: 'success', ref: 'aiops/autofix/main/add-requests', jobs: [{ id: 390, name: 'test-build', status: 'success' }] }));
    await env.gitlabFailures.idle();
    expect(field(env.slack.updated[0]!.reply, 'Outcome')).toBe('✓ pipeline #32 succeeded: the fix works; review and merge it');

    const everything = [JSON.stringify(env.slack.notified), JSON.stringify(env.slack.updated), JSON.stringify(sent), env.bot.logs.text(), await storeText(env.bot.app.store)];
    expect(leaked([...SECRETS, 'S3cr3t'], ...everything)).toEqual([]);
  });

  it('adds a missing npm package to package.json', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingNpm);
    const pkg = '{\n  "name": "payments-web",\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n';
    const sent = mergeRequestCalls({ manifest: 'package.json', content: pkg, branch: 'aiops/autofix/main/add-lodash', iid: 8 });
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const [commit] = sent.commit as Array<{ actions: Array<{ content: string }> }>;
    expect(JSON.parse(commit!.actions[0]!.content)).toEqual({ name: 'payments-web', dependencies: { express: '^4.19.2', lodash: '*' } });
    expect((sent.mr[0] as { description: string }).description).toContain('run `npm install lodash`');
  });

  it('opens no second merge request for the same fix from a later pipeline, and points at the open one', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingPython);
    mergeRequestCalls({ manifest: 'requirements.txt', content: 'flask\n', branch: 'aiops/autofix/main/add-requests', iid: 7, missing: 'pyproject.toml' });
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();

    traceOf(501, TRACES.missingPython);
    gitlab().get(`${project()}/repository/files/requirements.txt`).query({ ref: SHA }).reply(200, repositoryFile('requirements.txt', 'flask\n'));
    gitlab().get(`${project()}/repository/files/pyproject.toml`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
    gitlab().post(`${project()}/repository/branches`).reply(400, { message: 'Branch already exists' });
    gitlab()
      .get(`${project()}/merge_requests`)
      .query({ source_branch: 'aiops/autofix/main/add-requests', state: 'opened', per_page: '20', page: '1' })
      .reply(200, [createdMergeRequest({ iid: 7, source: 'aiops/autofix/main/add-requests', target: 'main', title: 'Add' })]);
    await env.deliver(failedHook({ pipelineId: 33, jobs: [{ id: 501, name: 'test-build' }] }));
    await env.gitlabFailures.idle();
    const second = env.slack.notified[1]!.reply;
    expect(second.text).toContain('*Manual review needed: payments pipeline #33');
    expect(second.sections?.find((section) => section.title === 'Fix')?.lines[0]).toContain('An open merge request already proposes this fix: !7');
  });

  it('leaves a package the manifest already lists to a person', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingPython);
    gitlab().get(`${project()}/repository/files/requirements.txt`).query({ ref: SHA }).reply(200, repositoryFile('requirements.txt', 'requests==2.31.0\n'));
    gitlab().get(`${project()}/repository/files/pyproject.toml`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
    await env.deliver(failedHook());
    await env.gitlabFailures.idle();
    const manual = env.slack.notified[0]!.reply;
    expect(manual.sections?.find((section) => section.title === 'Fix')?.lines).toEqual([
      'The auto-fix policy allows add requests to requirements.txt or pyproject.toml in a merge request, but requirements.txt already lists requests, so the install step, not the manifest, needs a look. Nothing was changed.',
    ]);
    expect(await env.bot.app.store.autofixes.get('acme/payments#31#test-build#pb-dep-001')).toBeUndefined();
  });

  it('does not fix a failure on its own fix branch, nor one on a tag', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingPython);
    traceOf(379, TRACES.missingPython);
    await env.deliver(failedHook({ pipelineId: 40, ref: 'aiops/autofix/main/add-requests' }));
    await env.deliver(failedHook({ pipelineId: 41, ref: 'v1.2.0', tag: true, jobs: [{ id: 379, name: 'test-build' }] }));
    await env.gitlabFailures.idle();
    const notes = env.slack.notified.map((item) => item.reply.sections?.find((section) => section.title === 'Fix')?.lines[0]);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("the pipeline ran on aiops/autofix/main/add-requests, aiops's own fix branch; aiops does not fix its fixes"),
        expect.stringContaining('the pipeline ran on v1.2.0, not a branch a merge request can go into'),
      ]),
    );
  });

  it('targets the source branch of a merge request pipeline', async () => {
    env = await hookEnv(store);
    traceOf(378, TRACES.missingPython);
    const sent = mergeRequestCalls({ manifest: 'requirements.txt', content: 'flask\n', branch: 'aiops/autofix/feature-refunds/add-requests', iid: 9, missing: 'pyproject.toml' });
    await env.deliver(failedHook({ source: 'merge_request_event', ref: 'refs/merge-requests/3/head', mergeRequest: { sourceBranch: 'feature/refunds', targetBranch: 'main' } }));
    await env.gitlabFailures.idle();
    expect(sent.branch).toEqual([{ branch: 'aiops/autofix/feature-refunds/add-requests', ref: SHA }]);
    expect(sent.mr[0]).toMatchObject({ target_branch: 'feature/refunds' });
  });
});
