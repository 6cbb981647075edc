import type { Logger } from '../../src/log.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { TestBot } from './bot.js';
import { commit, createdPipeline, gitlab, GITLAB_TOKEN, GITLAB_URL, jobs, pipeline, pipelineList, project, SHA } from './gitlab.js';
import { instantSleeper, RecordingNotifier, type ManualSleeper } from './tracking.js';

export interface GitLabBot {
  bot: TestBot;
  notifier: RecordingNotifier;
  /** what the GitLab client was asked to wait between retries */
  retryWaits: number[];
  /** what the tracker was asked to wait between polls */
  pollWaits: number[];
}

/** A TestBot with GitLab configured (nock plays it), dry-run off, and no real waiting anywhere. */
export async function gitlabBot(
  store: { endpoint(): string; prefix(): string },
  options: { prefix?: string; clock?: ManualClock; dryRun?: boolean; sleeper?: ManualSleeper; notifier?: RecordingNotifier; log?: Logger } = {},
): Promise<GitLabBot> {
  const retries = instantSleeper();
  const polls = instantSleeper();
  const notifier = options.notifier ?? new RecordingNotifier();
  const bot = await TestBot.start({
    endpoint: store.endpoint(),
    prefix: options.prefix ?? store.prefix(),
    clock: options.clock ?? new ManualClock(new Date('2026-03-02T14:00:00Z')),
    env: { GITLAB_URL, GITLAB_TOKEN, AIOPS_DRY_RUN: options.dryRun ? 'true' : 'false', AIOPS_GITLAB_NAMESPACE: 'acme' },
    app: {
      gitlab: { sleep: retries.sleep, random: () => 0.5 },
      tracking: { sleep: options.sleeper?.sleep ?? ((ms) => polls.sleep(ms)) },
      notifiers: { console: notifier },
      ...(options.log ? { log: options.log } : {}),
    },
  });
  await bot.grant('dana', 'developer');
  await bot.grant('sam', 'senior_dev');
  await bot.grant('alice', 'devops');
  await bot.grant('bob', 'devops');
  return { bot, notifier, retryWaits: retries.requested, pollWaits: polls.requested };
}

/** The reads a deploy plan makes: the ref, then the CI pipelines of its commit. */
export function planReads(options: { version?: string; sha?: string; ci?: string; ciId?: number; path?: string } = {}): void {
  const version = options.version ?? 'v1.2';
  const sha = options.sha ?? SHA;
  gitlab().get(`${project(options.path)}/repository/commits/${encodeURIComponent(version)}`).reply(200, commit(sha));
  gitlab()
    .get(`${project(options.path)}/pipelines`)
    .query({ ref: version, sha, per_page: '20', page: '1' })
    .reply(200, pipelineList([{ id: options.ciId ?? 90, status: options.ci ?? 'success', sha, ref: version }]));
}

/** Execution re-reads the ref, then triggers; the posted bodies are collected. */
export function triggerReads(options: { version?: string; sha?: string; pipelineId?: number; ref?: string } = {}): Array<Record<string, unknown>> {
  const version = options.version ?? 'v1.2';
  const sha = options.sha ?? SHA;
  const bodies: Array<Record<string, unknown>> = [];
  gitlab().get(`${project()}/repository/commits/${encodeURIComponent(version)}`).reply(200, commit(sha));
  gitlab()
    .post(`${project()}/pipeline`, (body: Record<string, unknown>) => {
      bodies.push(body);
      return true;
    })
    .reply(201, createdPipeline({ id: options.pipelineId ?? 101, ref: options.ref ?? version, sha }));
  return bodies;
}

export interface JobSpec {
  name: string;
  stage: string;
  status: string;
  failure_reason?: string;
}

/** One poll: the pipeline and its jobs. */
export function poll(id: number, status: string, list: JobSpec[]): void {
  gitlab().get(`${project()}/pipelines/${id}`).reply(200, pipeline({ id, status }));
  gitlab()
    .get(`${project()}/pipelines/${id}/jobs`)
    .query({ per_page: '100', page: '1' })
    .reply(200, jobs(list.map((job, index) => ({ id: id * 10 + index, ...job }))));
}

export const variablesOf = (body: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(((body?.variables ?? []) as Array<{ key: string; value: string }>).map((item) => [item.key, item.value]));
