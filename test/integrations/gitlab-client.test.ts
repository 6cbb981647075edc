import { describe, expect, it } from 'vitest';
import { isGitLabError, type GitLabError } from '../../src/integrations/gitlab-errors.js';
import { GitLab, type GitLabOptions } from '../../src/integrations/gitlab.js';
import { captureLogs } from '../support/log-capture.js';
import { commit, createdPipeline, gitlab, GITLAB_TOKEN, GITLAB_URL, pipelineList, project, recordingSleep, SHA, useNock } from '../support/gitlab.js';

useNock();

function client(options: Partial<GitLabOptions> = {}) {
  // no secrets registered with the logger: a leaked token would show up verbatim
  const logs = captureLogs([]);
  const sleeper = recordingSleep();
  const api = new GitLab({ url: GITLAB_URL, token: GITLAB_TOKEN, log: logs.log, sleep: sleeper.sleep, random: () => 0.5, ...options });
  return { api, logs, waits: sleeper.waits };
}

async function failure(promise: Promise<unknown>): Promise<GitLabError> {
  try {
    await promise;
  } catch (error) {
    if (isGitLabError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const variables = [{ key: 'AIOPS_ACTION', value: 'deploy' }];

describe('the GitLab client', () => {
  it('reads a commit through gitbeaker over HTTP, with the token header', async () => {
    gitlab().get(`${project()}/repository/commits/v1.2`).reply(200, commit(SHA));
    const found = await client().api.commit('acme/payments', 'v1.2');
    expect(found).toMatchObject({ id: SHA, title: 'Sanitize for network graph' });
  });

  it('answers undefined for a ref that does not exist, but names a missing project', async () => {
    gitlab().get(`${project()}/repository/commits/v9.9`).reply(404, { message: '404 Commit Not Found' });
    gitlab().get(`${project('acme/nope')}/repository/commits/v1.2`).reply(404, { message: '404 Project Not Found' });
    const { api } = client();
    expect(await api.commit('acme/payments', 'v9.9')).toBeUndefined();
    const error = await failure(api.commit('acme/nope', 'v1.2'));
    expect(error.message).toBe('GitLab answered 404 for acme/nope: acme/nope was not found, or the token cannot see it.');
  });

  it('lists pipelines newest first, one page only', async () => {
    gitlab()
      .get(`${project()}/pipelines`)
      .query({ ref: 'v1.2', sha: SHA, per_page: '20', page: '1' })
      .reply(200, pipelineList([{ id: 9, status: 'success', sha: SHA, ref: 'v1.2' }]), { link: `<${GITLAB_URL}/api/v4/projects/1/pipelines?page=2>; rel="next"` });
    const list = await client().api.listPipelines('acme/payments', { ref: 'v1.2', sha: SHA, perPage: 20 });
    expect(list.map((item) => [item.id, item.status, item.source])).toEqual([[9, 'success', 'push']]);
  });

  it('maps a 403 for lack of scope to what to do about it', async () => {
    gitlab()
      .post(`${project()}/pipeline`)
      .reply(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' });
    const error = await failure(client().api.createPipeline('acme/payments', 'v1.2', variables));
    expect(error.message).toBe('GitLab answered 403 for acme/payments: the token lacks the api scope.');
    expect(error.hint).toContain('api scope');
  });

  it('says a refused token is refused', async () => {
    gitlab().get(`${project()}/repository/commits/main`).reply(401, { message: '401 Unauthorized' });
    const error = await failure(client().api.commit('acme/payments', 'main'));
    expect(error.message).toContain('GitLab answered 401 for acme/payments: the token was refused');
    expect(error.hint).toContain('GITLAB_TOKEN');
  });

  it('retries a read on 500 with jittered backoff, and succeeds', async () => {
    gitlab().get(`${project()}/repository/commits/main`).times(2).reply(500, { message: '500 Internal Server Error' });
    gitlab().get(`${project()}/repository/commits/main`).reply(200, commit(SHA));
    const { api, waits } = client();
    expect((await api.commit('acme/payments', 'main'))?.id).toBe(SHA);
    // full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms
    expect(waits).toEqual([250, 500]);
  });

  it('gives up on a read after a bounded number of attempts', async () => {
    gitlab().get(`${project()}/repository/commits/main`).times(4).reply(502, 'Bad Gateway', { 'content-type': 'text/html' });
    const { api, waits } = client();
    const error = await failure(api.commit('acme/payments', 'main'));
    expect(error.message).toBe('GitLab answered 502 for acme/payments: GitLab is having trouble (4 attempts).');
    expect(waits).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    gitlab().post(`${project()}/pipeline`).reply(429, { message: 'Retry later' }, { 'Retry-After': '7' });
    gitlab().post(`${project()}/pipeline`).reply(201, createdPipeline({ id: 61, ref: 'v1.2', sha: SHA }));
    const { api, waits } = client();
    expect((await api.createPipeline('acme/payments', 'v1.2', variables)).id).toBe(61);
    expect(waits).toEqual([7000 + 250]);
  });

  it('does not wait out a Retry-After longer than its limit', async () => {
    gitlab().get(`${project()}/repository/commits/main`).reply(429, { message: 'Retry later' }, { 'Retry-After': '120' });
    const { api, waits } = client();
    const error = await failure(api.commit('acme/payments', 'main'));
    expect(error.message).toBe('GitLab answered 429 for acme/payments: too many requests; still rate limited after 1 attempt (it asked to wait 120 s).');
    expect(waits).toEqual([]);
  });

  it('never retries a pipeline trigger GitLab may have acted on', async () => {
    gitlab().post(`${project()}/pipeline`).reply(500, { message: '500 Internal Server Error' });
    const error = await failure(client().api.createPipeline('acme/payments', 'v1.2', variables));
    expect(error.message).toBe('GitLab answered 500 for acme/payments: GitLab is having trouble (1 attempt).');
    expect(error.hint).toContain('may not have gone through');
  });

  it('retries a trigger GitLab refused before acting (503, connection refused)', async () => {
    gitlab().post(`${project()}/pipeline`).reply(503, 'Service Unavailable');
    gitlab().post(`${project()}/pipeline`).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    gitlab().post(`${project()}/pipeline`).reply(201, createdPipeline({ id: 62, ref: 'v1.2', sha: SHA }));
    expect((await client().api.createPipeline('acme/payments', 'v1.2', variables)).id).toBe(62);
  });

  it('times out a call that hangs', async () => {
    gitlab().get(`${project()}/repository/commits/main`).delay(2_000).reply(200, commit(SHA));
    const error = await failure(client({ policy: { timeoutMs: 50, maxAttempts: 1 } }).api.commit('acme/payments', 'main'));
    expect(error.failure).toBe('timeout');
    expect(error.message).toBe('GitLab did not answer for acme/payments within 50 ms (1 attempt).');
  });

  it('opens the circuit in a 5xx storm, fails fast while open, and closes after a good trial', async () => {
    let now = 1_000_000;
    const { api } = client({ now: () => now, circuit: { failureThreshold: 5, cooldownMs: 30_000 } });
    gitlab().get(`${project()}/repository/commits/main`).times(5).reply(500, { message: '500 Internal Server Error' });
    expect((await failure(api.commit('acme/payments', 'main'))).status).toBe(500);
    // the 5th failed attempt opens the circuit: the second call stops there
    expect((await failure(api.commit('acme/payments', 'main'))).status).toBe(500);
    expect(api.circuitState).toBe('open');
    const fast = await failure(api.commit('acme/payments', 'main'));
    expect(fast.failure).toBe('circuit-open');
    expect(fast.message).toBe('GitLab has been failing (500 answers), so I am not calling it for the next 30 s.');
    now += 30_000;
    gitlab().get(`${project()}/repository/commits/main`).reply(200, commit(SHA));
    expect((await api.commit('acme/payments', 'main'))?.id).toBe(SHA);
    expect(api.circuitState).toBe('closed');
  });

  it('does not leave the half-open trial in flight when its answer stops half-way', async () => {
    let now = 1_000_000;
    const { api } = client({ now: () => now, circuit: { failureThreshold: 1, cooldownMs: 30_000 }, policy: { timeoutMs: 50, maxAttempts: 1 } });
    gitlab().get(`${project()}/repository/commits/main`).reply(502, { message: '502 Bad Gateway' });
    expect((await failure(api.commit('acme/payments', 'main'))).status).toBe(502);
    now += 30_000;
    // the trial: headers arrive, the body never does within the timeout
    gitlab().get(`${project()}/repository/commits/main`).delayBody(500).reply(502, { message: '502 Bad Gateway' });
    expect((await failure(api.commit('acme/payments', 'main'))).failure).toBe('timeout');
    expect(api.circuitState).toBe('open');
    now += 30_000;
    gitlab().get(`${project()}/repository/commits/main`).reply(200, commit(SHA));
    expect((await api.commit('acme/payments', 'main'))?.id).toBe(SHA);
    expect(api.circuitState).toBe('closed');
  });

  it('rejects an answer missing a field it relies on', async () => {
    gitlab().get(`${project()}/pipelines/5`).reply(200, { id: 5, status: 'running' });
    const error = await failure(client().api.pipeline('acme/payments', 5));
    expect(error.failure).toBe('invalid-response');
    expect(error.message).toContain('pipeline 5');
  });

  it('keeps the token out of logs and errors, whatever happens', async () => {
    gitlab().get(`${project()}/repository/commits/main`).reply(200, commit(SHA));
    gitlab().get(`${project()}/repository/commits/x`).times(4).reply(500, { message: '500 Internal Server Error' });
    gitlab().post(`${project()}/pipeline`).reply(403, { message: '403 Forbidden' });
    const { api, logs } = client({ log: captureLogs([], 'trace').log });
    const traced = captureLogs([], 'trace');
    const tracedApi = new GitLab({ url: GITLAB_URL, token: GITLAB_TOKEN, log: traced.log, sleep: async () => undefined });
    await tracedApi.commit('acme/payments', 'main');
    const errors = [await failure(tracedApi.commit('acme/payments', 'x')), await failure(tracedApi.createPipeline('acme/payments', 'main', variables))];
    expect(traced.lines.length).toBeGreaterThan(3);
    expect(traced.text()).not.toContain(GITLAB_TOKEN);
    for (const error of errors) {
      expect(`${error.message} ${error.hint} ${JSON.stringify(error)} ${error.stack}`).not.toContain(GITLAB_TOKEN);
    }
    expect(JSON.stringify(api)).not.toContain(GITLAB_TOKEN);
    expect(logs.text()).not.toContain(GITLAB_TOKEN);
  });
});
