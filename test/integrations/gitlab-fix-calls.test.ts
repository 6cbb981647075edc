import { describe, expect, it } from 'vitest';
import { isGitLabError } from '../../src/integrations/gitlab-errors.js';
import { GitLab } from '../../src/integrations/gitlab.js';
import { captureLogs } from '../support/log-capture.js';
import {
  createdBranch,
  createdMergeRequest,
  gitlab,
  GITLAB_TOKEN,
  GITLAB_URL,
  pipelineList,
  project,
  recordingSleep,
  repositoryFile,
  retriedJob,
  SHA,
  useNock,
} from '../support/gitlab.js';

useNock();

function client() {
  const logs = captureLogs([]);
  return { api: new GitLab({ url: GITLAB_URL, token: GITLAB_TOKEN, log: logs.log, sleep: recordingSleep().sleep, random: () => 0.5 }), logs };
}

describe('the GitLab calls auto-fix makes', () => {
  it('lists failed pipelines only when asked', async () => {
    gitlab()
      .get(`${project()}/pipelines`)
      .query({ status: 'failed', per_page: '1', page: '1' })
      .reply(200, pipelineList([{ id: 77, status: 'failed', sha: SHA, ref: 'main' }]));
    const [latest] = await client().api.listPipelines('acme/payments', { status: 'failed', perPage: 1 });
    expect(latest).toMatchObject({ id: 77, status: 'failed' });
  });

  it('retries a job with an empty POST and reads the new job', async () => {
    gitlab().post(`${project()}/jobs/378/retry`).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    const job = await client().api.retryJob('acme/payments', 378);
    expect(job).toMatchObject({ id: 401, name: 'test-build', status: 'pending', web_url: `${GITLAB_URL}/acme/payments/-/jobs/401` });
  });

  it('does not retry a refused job retry (a POST GitLab may have acted on)', async () => {
    gitlab().post(`${project()}/jobs/378/retry`).reply(500, { message: '500 Internal Server Error' });
    const error = await client().api.retryJob('acme/payments', 378).catch((caught: unknown) => caught);
    expect(isGitLabError(error) && error.status).toBe(500);
  });

  it('reads a file at a ref and decodes it; a missing file is undefined, a missing project an error', async () => {
    gitlab()
      .get(`${project()}/repository/files/${encodeURIComponent('requirements.txt')}`)
      .query({ ref: SHA })
      .reply(200, repositoryFile('requirements.txt', 'flask==3.0.0\nrequests>=2\n', 'abc123'));
    gitlab().get(`${project()}/repository/files/pyproject.toml`).query({ ref: SHA }).reply(404, { message: '404 File Not Found' });
    gitlab().get(`${project('acme/gone')}/repository/files/package.json`).query({ ref: 'main' }).reply(404, { message: '404 Project Not Found' });
    const { api } = client();
    expect(await api.file('acme/payments', 'requirements.txt', SHA)).toEqual({ path: 'requirements.txt', content: 'flask==3.0.0\nrequests>=2\n', lastCommitId: 'abc123' });
    expect(await api.file('acme/payments', 'pyproject.toml', SHA)).toBeUndefined();
    await expect(api.file('acme/gone', 'package.json', 'main')).rejects.toThrow('acme/gone was not found');
  });

  it('creates a branch from a sha, and names the refusal when it exists', async () => {
    const bodies: unknown[] = [];
    gitlab()
      .post(`${project()}/repository/branches`, (body: unknown) => bodies.push(body) > 0)
      .reply(201, createdBranch('aiops/fix-main-add-requests'));
    gitlab().post(`${project()}/repository/branches`).reply(400, { message: 'Branch already exists' });
    const { api } = client();
    expect((await api.createBranch('acme/payments', 'aiops/fix-main-add-requests', SHA)).name).toBe('aiops/fix-main-add-requests');
    expect(bodies).toEqual([{ branch: 'aiops/fix-main-add-requests', ref: SHA }]);
    const error = await api.createBranch('acme/payments', 'aiops/fix-main-add-requests', SHA).catch((caught: unknown) => caught);
    expect(isGitLabError(error) && [error.status, error.gitlabMessage]).toEqual([400, 'Branch already exists']);
  });

  it('updates a file in one commit, guarded by the commit that last changed it', async () => {
    const bodies: unknown[] = [];
    gitlab()
      .post(`${project()}/repository/commits`, (body: unknown) => bodies.push(body) > 0)
      .reply(201, { id: 'ed899a2f4b50b4370feeea94676502b42383c746', short_id: 'ed899a2f4b5', title: 'Add requests', author_name: 'aiops', created_at: null, web_url: null });
    await client().api.updateFiles('acme/payments', 'aiops/x', 'Add requests', [{ path: 'requirements.txt', content: 'requests\n', lastCommitId: 'abc123' }]);
    expect(bodies).toEqual([
      { branch: 'aiops/x', commit_message: 'Add requests', actions: [{ action: 'update', file_path: 'requirements.txt', content: 'requests\n', last_commit_id: 'abc123' }] },
    ]);
  });

  it('opens a merge request that removes its branch when merged, and finds open ones by branch', async () => {
    const bodies: unknown[] = [];
    gitlab()
      .post(`${project()}/merge_requests`, (body: unknown) => bodies.push(body) > 0)
      .reply(201, createdMergeRequest({ iid: 7, source: 'aiops/x', target: 'main', title: 'Add requests' }));
    gitlab()
      .get(`${project()}/merge_requests`)
      .query({ source_branch: 'aiops/x', state: 'opened', per_page: '20', page: '1' })
      .reply(200, [createdMergeRequest({ iid: 7, source: 'aiops/x', target: 'main', title: 'Add requests' })]);
    const { api } = client();
    const created = await api.createMergeRequest('acme/payments', { sourceBranch: 'aiops/x', targetBranch: 'main', title: 'Add requests', description: 'why', labels: ['aiops', 'auto-fix'] });
    expect(created).toMatchObject({ iid: 7, web_url: `${GITLAB_URL}/acme/payments/-/merge_requests/7` });
    expect(bodies).toEqual([{ source_branch: 'aiops/x', target_branch: 'main', title: 'Add requests', description: 'why', labels: 'aiops,auto-fix', remove_source_branch: true }]);
    expect((await api.openMergeRequests('acme/payments', 'aiops/x')).map((request) => request.iid)).toEqual([7]);
  });
});
