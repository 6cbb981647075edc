import { afterEach, describe, expect, it } from 'vitest';
import { applyFix } from '../../../src/actions/fix/apply.js';
import { FIXER } from '../../../src/actions/fix/suggest.js';
import { fixBranch, type FixTarget } from '../../../src/actions/fix/target.js';
import { useEmbeddedStore } from '../../support/embedded-store.js';
import { gitlab, GITLAB_URL, project, retriedJob, SHA, useNock } from '../../support/gitlab.js';
import { gitlabBot, type GitLabBot } from '../../support/gitlab-bot.js';

const store = useEmbeddedStore();
useNock();

let env: GitLabBot | undefined;
afterEach(async () => {
  await env?.bot.close();
  env = undefined;
});

const target = (fix: FixTarget['fix'], overrides: Partial<FixTarget> = {}): FixTarget => ({
  service: 'payments',
  project: 'acme/payments',
  pipelineId: 31,
  pipelineUrl: `${GITLAB_URL}/acme/payments/-/pipelines/31`,
  ref: 'main',
  sha: SHA,
  targetBranch: 'main',
  job: { id: 378, name: 'test-build', stage: 'test', url: `${GITLAB_URL}/acme/payments/-/jobs/378` },
  playbookId: 'pb-infra-001',
  title: 'Transient network or runner failure',
  summary: 'A transient network failure.',
  confidence: 0.9,
  evidence: [],
  fix,
  ...overrides,
});

const RETRY = { kind: 'retry', scope: 'job' } as const;

describe('applyFix', () => {
  it('lets one of many concurrent attempts at the same fix act; the others see it claimed', async () => {
    env = await gitlabBot(store);
    const { app } = env.bot;
    const retried: unknown[] = [];
    gitlab().post(`${project()}/jobs/378/retry`, (body: unknown) => retried.push(body) > 0).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    const deps = { gitlab: app.integrations.gitlab!, store: app.store, log: app.log };
    const results = await Promise.all(Array.from({ length: 5 }, () => applyFix(deps, { target: target(RETRY), origin: 'auto', by: FIXER, correlationId: 'c-1' })));
    expect(results.map((result) => result.status).sort()).toEqual(['already', 'already', 'already', 'already', 'applied']);
    expect(retried).toHaveLength(1);
  });

  it('retries a job at most once per pipeline, whichever playbook asks', async () => {
    env = await gitlabBot(store);
    const { app } = env.bot;
    gitlab().post(`${project()}/jobs/378/retry`).reply(201, retriedJob({ id: 401, name: 'test-build' }));
    const deps = { gitlab: app.integrations.gitlab!, store: app.store, log: app.log };
    expect((await applyFix(deps, { target: target(RETRY), origin: 'auto', by: FIXER, correlationId: 'c-1' })).status).toBe('applied');
    const flaky = target(RETRY, { playbookId: 'pb-test-002', job: { id: 401, name: 'test-build', stage: 'test', url: 'u' } });
    expect((await applyFix(deps, { target: flaky, origin: 'auto', by: FIXER, correlationId: 'c-2' })).status).toBe('already');
  });

  it('records a GitLab refusal once, audits it, and does not try again', async () => {
    env = await gitlabBot(store);
    const { app } = env.bot;
    gitlab().post(`${project()}/jobs/378/retry`).reply(403, { message: '403 Forbidden' });
    const deps = { gitlab: app.integrations.gitlab!, store: app.store, log: app.log };
    const first = await applyFix(deps, { target: target(RETRY), origin: 'auto', by: FIXER, correlationId: 'c-1' });
    expect(first).toEqual({ status: 'failed', reason: 'GitLab answered 403 for acme/payments: the token lacks the api scope, or its user may not do this there.' });
    const again = await applyFix(deps, { target: target(RETRY), origin: 'auto', by: FIXER, correlationId: 'c-1' });
    expect(again).toMatchObject({ status: 'already', record: { status: 'failed' } });
    expect((await app.store.audit.recent(5)).map((entry) => entry.event)).toContain('autofix.failed');
  });

  it('names fix branches so git accepts them, and the same fix on the same branch gets the same name', () => {
    const pypi = { kind: 'add-dependency', ecosystem: 'pypi', package: 'PyYAML', manifests: ['requirements.txt', 'pyproject.toml'] } as const;
    const npm = { kind: 'add-dependency', ecosystem: 'npm', package: '@types/node', dev: true, manifests: ['package.json'] } as const;
    expect(fixBranch(target(pypi, { targetBranch: 'feature/Refunds..v2' }))).toBe('aiops/autofix/feature-refunds.v2/add-pyyaml');
    expect(fixBranch(target(npm))).toBe('aiops/autofix/main/add-types-node');
    expect(fixBranch(target(pypi, { pipelineId: 99 }))).toBe(fixBranch(target(pypi)));
  });
});
