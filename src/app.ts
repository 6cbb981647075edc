import { fileURLToPath } from 'node:url';
import { createFailureAdvisor } from './actions/diagnose/claude-advisor.js';
import { createRegistry } from './actions/index.js';
import type { ActionRegistry } from './actions/registry.js';
import { DEFAULT_TRACKER, PipelineTracker, type TrackerSettings } from './actions/pipelines/tracker.js';
import type { Integrations } from './actions/types.js';
import { Authorizer } from './auth/authorizer.js';
import { Engine, type EngineSettings } from './bot/engine.js';
import { PlatformNotifier, type Notifier } from './bot/notifier.js';
import type { Platform } from './bot/turn.js';
import { loadCatalog, type Catalog } from './catalog/catalog.js';
import type { Config } from './config.js';
import { createIntegrations, type GitLabTuning } from './integrations/index.js';
import type { MessagesClient } from './integrations/anthropic.js';
import type { ClaudeRecognizer } from './intents/llm.js';
import { createClaudeRecognizer, promptCatalog } from './intents/llm-setup.js';
import type { SecondOpinion } from './intents/recognize.js';
import type { Logger } from './log.js';
import { instrument, timedAction } from './metrics/observe.js';
import { Metrics } from './metrics/registry.js';
import type { Clock } from './sessions/clock.js';
import { openStore, type OpenedStore } from './sessions/store.js';

export const EXAMPLE_CATALOG = fileURLToPath(new URL('../examples/catalog-info.yaml', import.meta.url));

export interface App {
  config: Config;
  log: Logger;
  store: OpenedStore;
  catalog: Catalog;
  registry: ActionRegistry;
  authorizer: Authorizer;
  engine: Engine;
  integrations: Integrations;
  /** messages without a live turn (resumed tracking, alerts); adapters register their platform's notifier */
  notifier: PlatformNotifier;
  /** watches triggered pipelines; main starts it (resume + sweep), close stops it */
  tracker: PipelineTracker | undefined;
  /** Claude, when ANTHROPIC_API_KEY is set: its counters are for the metrics endpoint */
  llm: ClaudeRecognizer | undefined;
  /** the app's own Prometheus registry, served at GET /metrics */
  metrics: Metrics;
  close(): Promise<void>;
}

export interface AppOptions {
  log: Logger;
  clock?: Clock;
  /** extra bootstrap admins (the console's own operator) */
  extraAdmins?: string[];
  /** an already-running DynamoDB-compatible endpoint (tests share one embedded server) */
  storeEndpoint?: string;
  /** keep the embedded store in memory instead of under AIOPS_DATA_DIR */
  inMemory?: boolean;
  secondOpinion?: SecondOpinion;
  /** the Anthropic client and retries to use when config.llm is set (tests: nock, maxRetries 0) */
  llm?: { client?: MessagesClient; maxRetries?: number };
  integrations?: Integrations;
  notifiers?: Partial<Record<Platform, Notifier>>;
  /** GitLab client knobs (tests: sleeps that return at once) */
  gitlab?: GitLabTuning;
  tracking?: Partial<TrackerSettings>;
}

export function engineSettings(config: Config): EngineSettings {
  return {
    dryRun: config.dryRun,
    envOrder: config.envOrder,
    gitlabUrl: config.gitlab?.url,
    gitlabNamespace: config.gitlab?.namespace,
    cooldownMinutes: config.alerts.cooldownMinutes,
    approvalTtlMinutes: config.approvalTtlMinutes,
    fourEyesEnvironments: config.fourEyesEnvironments,
    llmMinConfidence: config.llm?.minConfidence ?? 0.6,
  };
}

/**
 * AIOPS_TRACKER_*: the lease is renewed at every poll, so polls that back off while nothing
 * changes stop at a third of the lease; with the defaults (180 s) that is the usual 60 s ceiling.
 */
export function trackerSettings(config: Config): Partial<TrackerSettings> {
  const { leaseSeconds, pollSeconds, sweepSeconds } = config.tracker;
  const pollMinMs = pollSeconds * 1000;
  return {
    leaseSeconds,
    pollMinMs,
    pollMaxMs: Math.max(pollMinMs, Math.min(DEFAULT_TRACKER.pollMaxMs, Math.floor((leaseSeconds * 1000) / 3))),
    sweepMs: sweepSeconds * 1000,
  };
}

/** The core without any transport: store, catalog, policy, actions and the engine. */
export async function buildApp(config: Config, given: AppOptions): Promise<App> {
  // the configured tracker timings, under whatever the caller (a test) sets itself
  const options: AppOptions = { ...given, tracking: { ...trackerSettings(config), ...given.tracking } };
  const { log } = options;
  const catalog = loadCatalog(config.catalogPath ?? EXAMPLE_CATALOG, config.envOrder);
  const metrics = new Metrics();
  const registry = createRegistry((action) => timedAction(action, metrics));
  const endpoint = options.storeEndpoint ?? config.aws.dynamodbEndpoint;
  const store = await openStore({
    ...(endpoint ? { endpoint } : {}),
    ...(config.aws.region ? { region: config.aws.region } : {}),
    ...(options.inMemory || endpoint || config.aws.region ? {} : { dataDir: config.dataDir }),
    tablePrefix: config.tablePrefix,
    createTables: !config.externalStore || Boolean(options.storeEndpoint),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  try {
    const authorizer = await Authorizer.create({
      roles: store.roles,
      admins: [...config.admins, ...(options.extraAdmins ?? [])],
      actions: registry.names(),
      now: () => store.clock.now().getTime(),
      ...(config.policyPath ? { policyPath: config.policyPath } : {}),
    });
    const notifier = new PlatformNotifier({ ...options.notifiers }, log);
    // integrations passed in (tests, other clients) add to or replace what the configuration switched on
    const created = createIntegrations(config, log, options.gitlab);
    const base: Integrations = options.integrations
      ? { ...created, ...options.integrations, configured: [...new Set([...created.configured, ...options.integrations.configured])] }
      : created;
    const tracker = base.tracker ?? (base.gitlab ? new PipelineTracker({ store, gitlab: base.gitlab, notifier, log, settings: options.tracking ?? {} }) : undefined);
    // Claude explains failures too when it is configured (its own gateway: see claude-advisor.ts)
    const advisor = base.advisor ?? (config.llm ? createFailureAdvisor(config.llm, { clock: store.clock, log, ...options.llm }) : undefined);
    const integrations: Integrations = { ...base, ...(tracker ? { tracker } : {}), ...(advisor ? { advisor } : {}) };
    const llm = config.llm
      ? createClaudeRecognizer(config.llm, { catalog: promptCatalog(catalog, registry.all()), clock: store.clock, log, counter: store.keys, ...options.llm })
      : undefined;
    const secondOpinion = options.secondOpinion ?? llm;
    const engine = new Engine({
      store,
      catalog,
      authorizer,
      registry,
      log,
      settings: engineSettings(config),
      integrations,
      ...(secondOpinion ? { secondOpinion } : {}),
    });
    instrument(metrics, { engine, audit: store.audit, llm, gitlab: integrations.gitlab });
    log.info({ services: catalog.services.length, store: store.endpoint, dryRun: config.dryRun, llm: config.llm?.model ?? 'off' }, 'aiops core ready');
    const close = async (): Promise<void> => {
      await tracker?.stop();
      await store.close();
    };
    return { config, log, store, catalog, registry, authorizer, engine, integrations, notifier, tracker, llm, metrics, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}
