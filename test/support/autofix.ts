import { readFileSync } from 'node:fs';
import { gitlabJob } from '../remediation/runners.js';
import { gitlab, GITLAB_URL, jobs, pipeline, pipelineList, project, SHA } from './gitlab.js';

/**
 * Scenario traces, in the shape a GitLab runner prints them (ANSI, section markers), each with
 * secrets in it that must never reach chat, the log, Claude or the store.
 */
export const SECRETS = ['S3cr3tPassw0rd', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'glpat-Zz9Yy8Xx7Ww6Vv5Uu4Tt'];

export const TRACES = {
  /** pb-infra-001, confident: retried alone */
  network: gitlabJob(
    'node:20',
    `$ export NPM_TOKEN=${SECRETS[1]}
$ npm ci
npm ERR! code ETIMEDOUT
npm ERR! errno ETIMEDOUT
npm ERR! network request to https://registry.npmjs.org/express failed, reason: connect ETIMEDOUT 104.16.0.35:443
npm ERR! network This is a problem related to network connectivity.`,
  ),
  /** pb-dep-001, confident: a merge request adding requests */
  missingPython: gitlabJob(
    'python:3.12',
    `$ pip install -r requirements.txt
Successfully installed flask-3.0.0
$ export DATABASE_URL=postgres://payments:${SECRETS[0]}@db.internal:5432/payments
$ git clone https://oauth2:${SECRETS[2]}@gitlab.test/acme/fixtures.git
$ pytest
==================================== ERRORS ====================================
_______________________ ERROR collecting tests/test_client.py ________________________
ImportError while importing test module '/builds/acme/payments/tests/test_client.py'.
tests/test_client.py:1: in <module>
    import requests
E   ModuleNotFoundError: No module named 'requests'
=========================== short test summary info ============================
ERROR tests/test_client.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!`,
  ),
  /** pb-dep-002, confident: a merge request adding lodash */
  missingNpm: gitlabJob(
    'node:20',
    `$ npx jest
FAIL src/cart.test.js
  ● Test suite failed to run

    Cannot find module 'lodash' from 'src/cart.js'

    Require stack:
      src/cart.js
      src/cart.test.js

Test Suites: 1 failed, 1 total
Tests:       0 total`,
  ),
  /** pb-test-002 at 0.56: a retry is suggested, not applied */
  maybeFlaky: gitlabJob(
    'python:3.12',
    `$ pytest
FAILED tests/test_refunds.py::test_refund_rounds_down - assert 10.01 == 10.0
note: test_refund_rounds_down is known to be intermittent
=== 1 failed, 11 passed in 0.42s ===`,
  ),
  /** pb-test-000: no fix, a person must look */
  testFailure: gitlabJob(
    'python:3.12',
    `$ export PGPASSWORD=${SECRETS[0]}
$ pytest
=================================== FAILURES ===================================
___________________________ test_refund_rounds_down ____________________________
    def test_refund_rounds_down():
>       assert refund(10.005) == 10.0
E       assert 10.01 == 10.0
tests/test_refunds.py:14: AssertionError
=========================== short test summary info ============================
FAILED tests/test_refunds.py::test_refund_rounds_down - assert 10.01 == 10.0
========================= 1 failed, 11 passed in 0.42s =========================`,
  ),
} as const;

export type TraceName = keyof typeof TRACES;

type Json = Record<string, unknown>;

const readHook = (): Json => JSON.parse(readFileSync(new URL('../fixtures/gitlab/webhooks/pipeline_hook.json', import.meta.url), 'utf8')) as Json;

/** The published Pipeline Hook, verbatim (its status is "success"). */
export const publishedPipelineHook = (): Json => readHook();
export const HOOK_HEADERS = { 'x-gitlab-event': readFileSync(new URL('../fixtures/gitlab/webhooks/pipeline_hook.headers.txt', import.meta.url), 'utf8').split(':')[1]!.trim() };

export interface HookJob {
  id: number;
  name: string;
  stage?: string;
  status?: string;
  environment?: string;
  allowFailure?: boolean;
}

/**
 * The published Pipeline Hook turned into the event a scenario is about: a failed pipeline of a
 * catalog project, with its builds replaced (the published example has no failed pipeline).
 */
export function failedHook(options: { pipelineId?: number; status?: string; ref?: string; tag?: boolean; source?: string; path?: string; projectId?: number; jobs?: HookJob[]; variables?: Array<{ key: string; value: string }>; mergeRequest?: { sourceBranch: string; targetBranch: string } } = {}): Json {
  const hook = readHook();
  const attributes = hook.object_attributes as Json;
  const [template] = (hook.builds as Json[]).filter((build) => build.status === 'failed');
  const path = options.path ?? 'acme/payments';
  const id = options.pipelineId ?? 31;
  return {
    ...hook,
    object_attributes: {
      ...attributes,
      id,
      ref: options.ref ?? 'main',
      tag: options.tag ?? false,
      sha: SHA,
      source: options.source ?? 'push',
      status: options.status ?? 'failed',
      variables: options.variables ?? [],
      url: `${GITLAB_URL}/${path}/-/pipelines/${id}`,
    },
    merge_request: options.mergeRequest
      ? { ...(hook.merge_request as Json), source_branch: options.mergeRequest.sourceBranch, target_branch: options.mergeRequest.targetBranch }
      : null,
    project: { ...(hook.project as Json), id: options.projectId ?? 21, path_with_namespace: path, web_url: `${GITLAB_URL}/${path}`, default_branch: 'main' },
    builds: (options.jobs ?? [{ id: 378, name: 'test-build', stage: 'test' }]).map((job) => ({
      ...template,
      id: job.id,
      name: job.name,
      stage: job.stage ?? 'test',
      status: job.status ?? 'failed',
      failure_reason: (job.status ?? 'failed') === 'failed' ? 'script_failure' : null,
      allow_failure: job.allowFailure ?? false,
      environment: job.environment ? { name: job.environment, action: 'start', deployment_tier: job.environment } : null,
    })),
  };
}

/** GitLab serving a job's raw log. */
export function traceOf(jobId: number, trace: string, path?: string): void {
  gitlab().get(`${project(path)}/jobs/${jobId}/trace`).reply(200, trace, { 'content-type': 'text/plain' });
}

/** The reads of a chat troubleshoot: the latest failed pipeline (or that one), its jobs, each failed job's log. */
export function troubleshootReads(options: { pipelineId: number; byId?: boolean; jobs: Array<{ id: number; name: string; stage?: string; status?: string; trace?: string }>; ref?: string }): void {
  if (options.byId) {
    gitlab().get(`${project()}/pipelines/${options.pipelineId}`).reply(200, pipeline({ id: options.pipelineId, status: 'failed', sha: SHA, ref: options.ref ?? 'main' }));
  } else {
    gitlab()
      .get(`${project()}/pipelines`)
      .query({ status: 'failed', per_page: '1', page: '1' })
      .reply(200, pipelineList([{ id: options.pipelineId, status: 'failed', sha: SHA, ref: options.ref ?? 'main' }]));
  }
  gitlab()
    .get(`${project()}/pipelines/${options.pipelineId}/jobs`)
    .query({ per_page: '100', page: '1' })
    .reply(200, jobs(options.jobs.map((job) => ({ id: job.id, name: job.name, stage: job.stage ?? 'test', status: job.status ?? 'failed', ...(job.status === 'success' ? {} : { failure_reason: 'script_failure' }) }))));
  for (const job of options.jobs) if (job.trace !== undefined) traceOf(job.id, job.trace);
}
