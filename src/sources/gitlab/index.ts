import type { App } from '../../app.js';
import type { Notifier } from '../../bot/notifier.js';
import type { Route } from '../../http/server.js';
import { PipelineFailures } from './failures.js';
import { WorkQueue } from './queue.js';
import { FixWatcher, type WatcherSettings } from './watcher.js';
import { gitlabWebhook } from './webhook.js';

export interface PipelineFailuresOptions {
  /** where reports go; the app's PlatformNotifier, with the adapters' notifiers registered */
  notifier: Notifier;
  watcher?: Partial<WatcherSettings>;
  /** deliveries processed at once, and waiting */
  concurrency?: number;
  capacity?: number;
}

export interface GitLabFailures {
  failures: PipelineFailures;
  watcher: FixWatcher | undefined;
  routes: Route[];
  start(): void;
  stop(): Promise<void>;
  /** resolves when every accepted delivery has been processed (tests, shutdown) */
  idle(): Promise<void>;
}

/** Failed GitLab pipelines: the webhook route, the processing behind it, and the outcome watcher. */
export function createGitLabFailures(app: App, options: PipelineFailuresOptions): GitLabFailures {
  const { config, store, integrations } = app;
  const log = app.log.child({ component: 'gitlab-failures' });
  const failures = new PipelineFailures({
    store,
    catalog: app.catalog,
    gitlab: integrations.gitlab,
    advisor: integrations.advisor,
    notifier: options.notifier,
    log,
    settings: {
      dryRun: config.dryRun,
      gitlabUrl: config.gitlab?.url,
      approvalTtlMinutes: config.approvalTtlMinutes,
      defaultChannel: config.alerts.defaultTarget,
      platforms: [...(config.slack ? (['slack'] as const) : []), ...(config.teams ? (['teams'] as const) : [])],
    },
  });
  const queue = new WorkQueue(options.concurrency ?? 4, options.capacity ?? 200, (error) => log.error({ err: error }, 'processing a GitLab pipeline event failed'));
  const watcher = integrations.gitlab ? new FixWatcher({ store, gitlab: integrations.gitlab, notifier: options.notifier, log }, options.watcher) : undefined;
  return {
    failures,
    watcher,
    routes: [{ method: 'POST', path: '/webhooks/gitlab', handler: gitlabWebhook({ secret: config.gitlabWebhookSecret, failures, queue, log }) }],
    start: () => {
      watcher?.start();
      log.info(
        {
          webhook: config.gitlabWebhookSecret ? 'POST /webhooks/gitlab' : 'refusing every delivery (set GITLAB_WEBHOOK_SECRET)',
          logs: integrations.gitlab ? 'read from GitLab' : 'not readable (set GITLAB_URL and GITLAB_TOKEN)',
          autoFix: config.dryRun ? 'dry-run' : 'on',
          claude: integrations.advisor ? 'explains root causes' : 'off',
        },
        'failed GitLab pipelines: ready',
      );
    },
    stop: async () => {
      await watcher?.stop();
      await queue.idle();
    },
    idle: () => queue.idle(),
  };
}
