import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { gitlab, pipelineList, project, SHA, useNock } from '../support/gitlab.js';
import { gitlabBot, planReads, type GitLabBot } from '../support/gitlab-bot.js';
import { seedDeployment } from '../support/tracking.js';

const store = useEmbeddedStore();
useNock();

let env: GitLabBot;
afterEach(async () => env?.bot.close());

const SERVICES = ['payments', 'orders', 'checkout', 'billing-api', 'search', 'notifications', 'inventory'];

function mainPipelines(path: string, perPage: number, status = 'success', id = 120): void {
  gitlab()
    .get(`${project(path)}/pipelines`)
    .query({ ref: 'main', per_page: String(perPage), page: '1' })
    .reply(200, pipelineList([{ id, status, sha: SHA, ref: 'main' }]));
}

async function history(): Promise<void> {
  const { store: records } = env.bot.app;
  const clock = env.bot.clock;
  await seedDeployment(records, clock, { environment: 'dev', version: 'v1.3', outcome: 'success', pipelineId: 101 });
  await seedDeployment(records, clock, { environment: 'staging', version: 'v1.3', outcome: 'success', pipelineId: 102 });
  await seedDeployment(records, clock, { environment: 'prod', version: 'v1.2', outcome: 'success', pipelineId: 90 });
  await seedDeployment(records, clock, { environment: 'prod', version: 'v1.3', outcome: 'failed', pipelineId: 103 });
}

describe('status', () => {
  it('shows one service: versions per environment, deployments, pipelines, approvals and locks', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    await history();
    await bot.as('root').say('lock payments prod: quarter close');
    planReads({ version: 'v1.3', ciId: 55 });
    expect((await bot.as('root').say('deploy payments v1.3 to staging')).summary.outcome).toBe('approval');

    mainPipelines('acme/payments', 5);
    const turn = await bot.as('dana').say('status payments');
    const sections = Object.fromEntries((turn.last.sections ?? []).map((section) => [section.title, section.lines]));
    expect(sections.Running).toEqual([
      'dev: v1.3 (03-02 14:01 by seed, #101)',
      'staging: v1.3 (03-02 14:03 by seed, #102) · 1 pending approval',
      'prod: v1.2 (03-02 14:05 by seed, #90) · locked by root (quarter close)',
    ]);
    expect(sections['Last deployments']?.[0]).toBe('03-02 14:07 deploy v1.3 → prod: ✗ failed (#103) by seed');
    expect(sections['Latest pipelines on main']).toEqual(['#120 ✓ success (push, 61049424, 08-11 11:28)']);
    expect(sections['Pending approvals']?.[0]).toMatch(/^Deploy payments v1.3 to staging, asked by root at 03-02 14:08, expires 14:38 UTC$/);
    expect(sections.Locks?.[0]).toMatch(/^prod locked by root since 03-02 14:0\d: quarter close$/);
    expect(turn.last.links).toEqual([{ label: 'Pipeline #120', url: 'https://gitlab.test/acme/payments/-/pipelines/120' }]);
  });

  it('asks GitLab once for a burst of the same question', async () => {
    env = await gitlabBot(store);
    mainPipelines('acme/payments', 5);
    const first = await env.bot.as('dana').say('status payments');
    const second = await env.bot.as('dana').say('status payments');
    expect(second.last.sections).toEqual(first.last.sections);
  });

  it('shows every service in one compact table, asking GitLab in parallel', async () => {
    env = await gitlabBot(store);
    await history();
    for (const name of SERVICES) mainPipelines(`acme/${name}`, 1, name === 'orders' ? 'failed' : 'success', name === 'orders' ? 77 : 120);
    const turn = await env.bot.as('dana').say('status');
    expect(turn.last.text).toBe('*Status of all services*');
    const lines = turn.last.sections?.[0]?.lines ?? [];
    expect(lines).toHaveLength(SERVICES.length);
    expect(lines[0]).toBe('*payments* · dev v1.3 | staging v1.3 | prod v1.2 · CI main ✓success #120');
    expect(lines[1]).toBe('*orders* · dev — | staging — | prod — · CI main ✗failed #77');
    expect(lines.find((line) => line.startsWith('*notifications*'))).toBe('*notifications* · dev — | staging — · CI main ✓success #120');
  });

  it('still answers when GitLab fails, saying what is missing', async () => {
    env = await gitlabBot(store);
    await history();
    gitlab().get(`${project()}/pipelines`).query(true).times(4).reply(500, { message: '500 Internal Server Error' });
    const turn = await env.bot.as('dana').say('status payments');
    const sections = Object.fromEntries((turn.last.sections ?? []).map((section) => [section.title, section.lines]));
    expect(sections.Running?.[0]).toBe('dev: v1.3 (03-02 14:01 by seed, #101)');
    expect(sections['Latest pipelines on main']).toEqual(['unavailable: GitLab answered 500 for acme/payments: GitLab is having trouble (4 attempts).']);
  });

  it('says so when GitLab rate limits the status read (429)', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${project()}/pipelines`).query(true).reply(429, { message: 'Retry later' }, { 'Retry-After': '600' });
    const turn = await env.bot.as('dana').say('status payments');
    const sections = Object.fromEntries((turn.last.sections ?? []).map((section) => [section.title, section.lines]));
    expect(sections['Latest pipelines on main']?.[0]).toContain('GitLab answered 429 for acme/payments: too many requests');
  });

  it('answers "any pending approvals?" across services', async () => {
    env = await gitlabBot(store);
    planReads();
    await env.bot.as('dana').say('deploy payments v1.2 to dev');
    for (const name of SERVICES) mainPipelines(`acme/${name}`, 1);
    const turn = await env.bot.as('bob').say('any pending approvals?');
    expect(turn.last.sections).toEqual([{ title: 'payments: Pending approvals', lines: [expect.stringMatching(/^Deploy payments v1.2 to dev, asked by dana at/)] }]);
  });
});

describe('status of incidents', () => {
  it('lists the open incidents, filtered by service and environment', async () => {
    env = await gitlabBot(store);
    const incidents = env.bot.app.store.incidents;
    const base = { reason: 'Threshold Crossed', source: 'sns' as const, correlationId: 'c-inc', environment: 'prod' };
    await incidents.open({ ...base, alarm: 'payments-high-cpu', service: 'payments', openedAt: '2026-03-02T13:50:00.000Z', value: 97, threshold: 80 });
    await incidents.open({ ...base, alarm: 'orders-5xx', service: 'orders', openedAt: '2026-03-02T13:55:00.000Z' });
    const all = await env.bot.as('dana').say('any open incidents in prod?');
    expect(all.last.sections).toEqual([
      {
        title: 'Open incidents',
        lines: ['*payments-high-cpu* on payments prod since 03-02 13:50 UTC (97 vs 80)', '*orders-5xx* on orders prod since 03-02 13:55 UTC'],
      },
    ]);
    const one = await env.bot.as('dana').say('any incidents for orders?');
    expect(one.last.sections?.[0]?.lines).toEqual(['*orders-5xx* on orders prod since 03-02 13:55 UTC']);
    const none = await env.bot.as('dana').say('any incidents in staging?');
    expect(none.last.sections?.[0]?.lines).toEqual(['none right now']);
  });
});
