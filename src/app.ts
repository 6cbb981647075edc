import { fileURLToPath } from 'node:url';
import { createRegistry } from './actions/index.js';
import type { ActionRegistry } from './actions/registry.js';
import type { Integrations } from './actions/types.js';
import { Authorizer } from './auth/authorizer.js';
import { Engine, type EngineSettings } from './bot/engine.js';
import { PlatformNotifier } from './bot/notifier.js';
import { loadCatalog, type Catalog } from './catalog/catalog.js';
import type { Config } from './config.js';
import type { SecondOpinion } from './intents/recognize.js';
import type { Logger } from './log.js';
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
  /** posts messages nobody asked for (alerts, reports); chat adapters register on it as they start */
  notifier: PlatformNotifier;
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
  integrations?: Integrations;
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

/** The core without any transport: store, catalog, policy, actions and the engine. */
export async function buildApp(config: Config, options: AppOptions): Promise<App> {
  const { log } = options;
  const catalog = loadCatalog(config.catalogPath ?? EXAMPLE_CATALOG, config.envOrder);
  const registry = createRegistry();
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
      ...(config.policyPath ? { policyPath: config.policyPath } : {}),
    });
    const integrations: Integrations = options.integrations ?? { configured: [] };
    const engine = new Engine({
      store,
      catalog,
      authorizer,
      registry,
      log,
      settings: engineSettings(config),
      integrations,
      ...(options.secondOpinion ? { secondOpinion: options.secondOpinion } : {}),
    });
    log.info({ services: catalog.services.length, store: store.endpoint, dryRun: config.dryRun }, 'aiops core ready');
    const notifier = new PlatformNotifier({}, log);
    return { config, log, store, catalog, registry, authorizer, engine, integrations, notifier, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
