import type { Authorizer } from '../auth/authorizer.js';
import type { Field, Reply } from '../bot/reply.js';
import type { Platform, Responder } from '../bot/turn.js';
import type { Catalog } from '../catalog/catalog.js';
import type { GitLab } from '../integrations/gitlab.js';
import type { IntentName } from '../intents/schema.js';
import type { Logger } from '../log.js';
import type { Role } from '../intents/schema.js';
import type { FailureAdvisor } from '../remediation/index.js';
import type { Store } from '../sessions/store.js';
import type { PipelineTracker } from './pipelines/tracker.js';

export type Risk = 'low' | 'medium' | 'high';

/** One call to the outside world, exactly as execution would make it (shown in dry-run). */
export interface PlannedCall {
  system: 'gitlab' | 'aws' | 'aiops';
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

/** What an action will do, shown before anything happens and stored with its approval. */
export interface Plan {
  action: IntentName;
  summary: string;
  service?: string;
  environment?: string;
  risk: Risk;
  approval: 'none' | 'required';
  steps: string[];
  calls: PlannedCall[];
  fields: Field[];
  warnings: string[];
  /** whatever execute() needs; JSON only, because it is stored with the approval */
  data: Record<string, unknown>;
}

export interface Actor {
  key: string;
  name: string;
  role: Role;
  platform: Platform;
}

export interface ActionSettings {
  dryRun: boolean;
  envOrder: string[];
  gitlabUrl: string | undefined;
  gitlabNamespace: string | undefined;
  cooldownMinutes: number;
  /** how long a pending approval stays open (actions that propose one themselves) */
  approvalTtlMinutes?: number;
}

/** Thin clients for the outside world; an absent one means "not configured" (dry-run explains). */
export interface Integrations {
  /** names of the configured integrations, for status and help */
  readonly configured: readonly string[];
  /** GitLab REST; absent without GITLAB_URL and GITLAB_TOKEN */
  readonly gitlab?: GitLab;
  /** watches the pipelines aiops triggers; buildApp adds it next to gitlab, since it needs the store */
  readonly tracker?: PipelineTracker;
  /** Claude's root-cause explanation and tie-break for failure analysis; absent without ANTHROPIC_API_KEY */
  readonly advisor?: FailureAdvisor;
}

export interface ActionContext {
  actor: Actor;
  correlationId: string;
  conversation: { platform: Platform; channel: string; thread: string };
  catalog: Catalog;
  store: Store;
  authorizer: Authorizer;
  settings: ActionSettings;
  integrations: Integrations;
  log: Logger;
  /** posts progress in the thread and edits it; absent for work nobody is watching */
  responder?: Responder;
  /** the registry, for help */
  actions: readonly RegisteredAction[];
}

export interface ExecutionContext extends ActionContext {
  /** who approved, when the plan needed approval */
  approvedBy?: { key: string; name: string };
}

export interface ActionDefinition<S> {
  intent: IntentName;
  title: string;
  summary: string;
  usage: string;
  examples: string[];
  /** changes something: audited, and refused for viewers by the policy */
  mutates: boolean;
  /** whether permission depends on the environment (deploy to dev vs prod) */
  perEnvironment: boolean;
  /** the environment the permission check is about, if any */
  environment(slots: S): string | undefined;
  plan(slots: S, ctx: ActionContext): Promise<Plan>;
  execute(plan: Plan, ctx: ExecutionContext): Promise<Reply>;
}

/** An action as the registry holds it: slots arrive unvalidated and are parsed by the intent schema. */
export interface RegisteredAction {
  intent: IntentName;
  title: string;
  summary: string;
  usage: string;
  examples: string[];
  mutates: boolean;
  perEnvironment: boolean;
  environment(slots: Record<string, unknown>): string | undefined;
  plan(slots: Record<string, unknown>, ctx: ActionContext): Promise<Plan>;
  execute(plan: Plan, ctx: ExecutionContext): Promise<Reply>;
}
