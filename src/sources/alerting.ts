import type { App } from '../app.js';
import type { Notifier } from '../bot/notifier.js';
import type { Config } from '../config.js';
import type { Route } from '../http/server.js';
import { CloudWatch } from '../integrations/cloudwatch.js';
import { Alerts } from './alerts.js';
import { offlineAnalyst, type IncidentAnalyst } from './analyst.js';
import { DeploymentHistoryLookup, type DeploymentLookup } from './deployment-lookup.js';
import { pollAlarms } from './poller.js';
import { SigningCertificates, SnsVerifier, type Fetch } from './sns-verify.js';
import { snsWebhook } from './sns-webhook.js';
import { sweepVerifications } from './verification.js';
import { AlarmWatcher, type Timers } from './watcher.js';

const VERIFY_TICK_SECONDS = 30;

export interface AlertingOptions {
  /** where alerts are posted; adapters provide one per platform */
  notifier: Notifier;
  /** absent: built from AWS_REGION / AWS_ENDPOINT_URL_CLOUDWATCH, or none when neither is set */
  cloudwatch?: CloudWatch;
  /** Claude's root cause and confidence (main passes it when ANTHROPIC_API_KEY is set); absent, the runbook decides alone */
  analyst?: IncidentAnalyst;
  /** tests; by default the deployments record */
  deployments?: DeploymentLookup;
  /** certificate and SubscribeURL fetches (tests: nock intercepts the global one) */
  fetch?: Fetch;
  /** this replica's name in the watcher lease */
  owner?: string;
  timers?: Timers;
}

export interface Alerting {
  alerts: Alerts;
  watcher: AlarmWatcher;
  cloudwatch: CloudWatch | undefined;
  routes: Route[];
  start(): void;
  stop(): Promise<void>;
}

/** CloudWatch is on when its region or endpoint is configured; the SDK supplies the rest (credentials). */
export function cloudWatchFor(config: Config): CloudWatch | undefined {
  if (!config.aws.region && !config.aws.cloudwatchEndpoint) return undefined;
  return CloudWatch.create({
    ...(config.aws.region ? { region: config.aws.region } : {}),
    ...(config.aws.cloudwatchEndpoint ? { endpoint: config.aws.cloudwatchEndpoint } : {}),
  });
}

/** Alerts from CloudWatch: the SNS route, the poller and the verification of recoveries, on top of the core. */
export function createAlerting(app: App, options: AlertingOptions): Alerting {
  const { config, store, log } = app;
  const settings = config.alerts;
  const cloudwatch = options.cloudwatch ?? cloudWatchFor(config);
  const alertLog = log.child({ component: 'alerts' });
  const alerts = new Alerts({
    store,
    catalog: app.catalog,
    registry: app.registry,
    authorizer: app.authorizer,
    settings: app.engine.deps.settings,
    integrations: app.integrations,
    notifier: options.notifier,
    log: alertLog,
    cloudwatch,
    analyst: options.analyst ?? offlineAnalyst,
    deployments: options.deployments ?? new DeploymentHistoryLookup(store.deployments),
    defaultTarget: settings.defaultTarget,
    platforms: [...(config.slack ? (['slack'] as const) : []), ...(config.teams ? (['teams'] as const) : [])],
    minConfidence: settings.recoveryMinConfidence,
    verifyMinutes: settings.verifyMinutes,
  });
  const certificates = new SigningCertificates({ clock: store.clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const verifier = new SnsVerifier(certificates, settings.snsTopics);
  const polling = cloudwatch !== undefined && settings.pollSeconds > 0;
  let lastPoll = Number.NEGATIVE_INFINITY;
  const poll = async (): Promise<void> => {
    const now = store.clock.now();
    if (!cloudwatch || now.getTime() - lastPoll < settings.pollSeconds * 1000) return;
    lastPoll = now.getTime();
    await pollAlarms({ cloudwatch, incidents: store.incidents, alerts, log: alertLog, now });
  };
  const watcher = new AlarmWatcher({
    keys: store.keys,
    log: alertLog,
    // verification deadlines need a tick at least every 30 s, whatever the poll interval (or none)
    intervalSeconds: polling ? Math.min(settings.pollSeconds, VERIFY_TICK_SECONDS) : VERIFY_TICK_SECONDS,
    work: [...(polling ? [{ name: 'poll', run: poll }] : []), { name: 'verify', run: () => sweepVerifications(alerts) }],
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const routes: Route[] = [
    { method: 'POST', path: '/webhooks/sns', handler: snsWebhook({ verifier, alerts, store, log: alertLog, ...(options.fetch ? { fetch: options.fetch } : {}) }) },
  ];
  return {
    alerts,
    watcher,
    cloudwatch,
    routes,
    start: () => {
      watcher.start();
      alertLog.info(
        {
          snsTopics: settings.snsTopics.length,
          polling: polling ? `every ${settings.pollSeconds} s` : cloudwatch ? 'off (AIOPS_ALARM_POLL_SECONDS=0)' : 'off (CloudWatch not configured: set AWS_REGION)',
          defaultChannel: settings.defaultTarget ? `${settings.defaultTarget.platform}:${settings.defaultTarget.channel}` : 'none',
        },
        'alerts ready',
      );
    },
    stop: async () => {
      await watcher.stop();
      cloudwatch?.destroy();
    },
  };
}
