import { z } from 'zod';

/**
 * Every setting aiops reads, validated once at start. Nothing else reads process.env:
 * the environment is passed in, so tests and the CLI build configs from plain objects.
 */

const text = z.string().trim().min(1);
const optionalText = text.optional();
const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean));
const bool = (fallback: boolean | undefined) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));
const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` })
    .optional()
    .default(fallback);
const ratio = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a number between 0 and 1' })
    .min(0, { error: 'expected a number between 0 and 1' })
    .max(1, { error: 'expected a number between 0 and 1' })
    .optional()
    .default(fallback);
const url = z.url({ error: 'expected a URL such as https://example.com' }).optional();

/** Names of variables whose values must never reach logs or chat. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MicrosoftAppPassword',
  'ANTHROPIC_API_KEY',
  'GITLAB_TOKEN',
  'GITLAB_WEBHOOK_SECRET',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

const environmentSchema = z.object({
  PORT: int(3000, 0, 65535),
  AIOPS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  AIOPS_DATA_DIR: optionalText,
  AIOPS_CATALOG: optionalText,
  AIOPS_POLICY: optionalText,
  AIOPS_ADMINS: list,
  AIOPS_DRY_RUN: bool(undefined),
  AIOPS_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/, { error: 'use letters, digits, _ . and - only' })
    .optional()
    .default('aiops_'),
  AIOPS_APPROVAL_TTL_MINUTES: int(30, 1, 24 * 60),
  AIOPS_FOUR_EYES_ENVS: list,
  AIOPS_CONSOLE_USER: optionalText,
  USER: optionalText,

  SLACK_BOT_TOKEN: text.startsWith('xoxb-', { error: 'a bot token starts with xoxb- (OAuth & Permissions page of your Slack app)' }).optional(),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: text.startsWith('xapp-', { error: 'an app-level token starts with xapp- (Basic Information > App-Level Tokens, scope connections:write)' }).optional(),
  SLACK_API_URL: url,

  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  AIOPS_TEAMS: bool(false),

  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: url,
  AIOPS_LLM_MODEL: text.optional().default('claude-sonnet-5-5'),
  AIOPS_LLM_TIMEOUT_MS: int(8000, 100, 120_000),
  AIOPS_LLM_RATE_PER_MIN: int(20, 1, 10_000),
  AIOPS_LLM_MIN_CONFIDENCE: ratio(0.6),

  GITLAB_URL: url,
  GITLAB_TOKEN: optionalText,
  GITLAB_WEBHOOK_SECRET: optionalText,
  AIOPS_GITLAB_NAMESPACE: optionalText,
  AIOPS_ENV_ORDER: list,

  AWS_REGION: optionalText,
  AWS_ENDPOINT_URL_DYNAMODB: url,
  AWS_ENDPOINT_URL_CLOUDWATCH: url,

  AIOPS_SNS_TOPICS: list,
  AIOPS_ALARM_POLL_SECONDS: int(60, 0, 86_400),
  AIOPS_ALERT_CHANNEL: optionalText,
  AIOPS_RECOVERY_MIN_CONFIDENCE: ratio(0.7),
  AIOPS_COOLDOWN_MINUTES: int(15, 0, 24 * 60),
  AIOPS_VERIFY_MINUTES: int(15, 1, 24 * 60),

  AIOPS_TRACKER_LEASE_SECONDS: int(180, 2, 3600),
  AIOPS_TRACKER_POLL_SECONDS: int(5, 1, 600),
  AIOPS_TRACKER_SWEEP_SECONDS: int(60, 1, 3600),
});

type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  port: number;
  logLevel: Environment['AIOPS_LOG_LEVEL'];
  dataDir: string;
  catalogPath: string | undefined;
  policyPath: string | undefined;
  admins: string[];
  dryRun: boolean;
  tablePrefix: string;
  approvalTtlMinutes: number;
  fourEyesEnvironments: string[];
  consoleUser: string;
  slack:
    | { mode: 'http'; botToken: string; signingSecret: string; apiUrl: string | undefined }
    | { mode: 'socket'; botToken: string; appToken: string; signingSecret: string | undefined; apiUrl: string | undefined }
    | undefined;
  teams: { appId: string; appPassword: string | undefined; appType: string; tenantId: string | undefined } | undefined;
  llm: {
    apiKey: string;
    baseUrl: string | undefined;
    model: string;
    timeoutMs: number;
    ratePerMinute: number;
    minConfidence: number;
  } | undefined;
  llmModel: string;
  gitlab: { url: string; token: string; webhookSecret: string | undefined; namespace: string | undefined } | undefined;
  gitlabWebhookSecret: string | undefined;
  envOrder: string[];
  aws: { region: string | undefined; dynamodbEndpoint: string | undefined; cloudwatchEndpoint: string | undefined };
  /** true when DynamoDB is a real endpoint rather than the embedded server */
  externalStore: boolean;
  alerts: {
    snsTopics: string[];
    pollSeconds: number;
    defaultChannel: string | undefined;
    /** AIOPS_ALERT_CHANNEL parsed: where alerts go for services without a channel annotation */
    defaultTarget: AlertChannel | undefined;
    recoveryMinConfidence: number;
    cooldownMinutes: number;
    verifyMinutes: number;
  };
  /** pipeline tracking across replicas (src/actions/pipelines/tracker.ts) */
  tracker: {
    /** how long a replica's claim on a deployment lasts without renewal; a dead replica's work waits this long */
    leaseSeconds: number;
    /** first wait between polls of a pipeline */
    pollSeconds: number;
    /** how often a replica looks for deployments whose tracker died */
    sweepSeconds: number;
  };
  secrets: string[];
}

/** `slack:<channel id>` or `teams:<conversation id>` (Teams ids contain colons; only the first one splits). */
export interface AlertChannel {
  platform: 'slack' | 'teams';
  channel: string;
}

export function parseAlertChannel(value: string): AlertChannel | string {
  const match = /^(slack|teams):(.+)$/.exec(value.trim());
  if (!match) return 'expected slack:<channel id> (e.g. slack:C0123ABCD) or teams:<conversation id> (e.g. teams:19:abc@thread.tacv2)';
  const platform = match[1] as AlertChannel['platform'];
  const channel = match[2]!.trim();
  if (platform === 'slack' && !/^[CGD][A-Z0-9]{2,}$/.test(channel)) {
    return 'a Slack channel id looks like C0123ABCD (channel details > About, at the bottom), not a #name';
  }
  return { platform, channel };
}

const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`aiops cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = environmentSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const given = name in blankless && !SECRET_VARIABLES.includes(name as (typeof SECRET_VARIABLES)[number]) ? ` (got "${blankless[name]}")` : '';
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const e = parsed.data;
  const problems = crossChecks(e);
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(e, env);
}

function crossChecks(e: Environment): string[] {
  const problems: string[] = [];
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN for HTTP mode (Basic Information > Signing Secret), or set SLACK_APP_TOKEN for Socket Mode');
  }
  if ((e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) && !e.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set (the xoxb- token from OAuth & Permissions)');
  }
  if (e.MicrosoftAppPassword && !e.MicrosoftAppId) {
    problems.push('MicrosoftAppId: required when MicrosoftAppPassword is set (the Azure Bot resource\'s Microsoft App ID)');
  }
  if (e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant (your Entra ID tenant id)');
  }
  if (e.GITLAB_URL && !e.GITLAB_TOKEN) {
    problems.push('GITLAB_TOKEN: required when GITLAB_URL is set (a project or group access token with the api scope)');
  }
  if (e.GITLAB_TOKEN && !e.GITLAB_URL) {
    problems.push('GITLAB_URL: required when GITLAB_TOKEN is set, e.g. https://gitlab.com');
  }
  for (const topic of e.AIOPS_SNS_TOPICS) {
    if (!SNS_TOPIC_ARN.test(topic)) problems.push(`AIOPS_SNS_TOPICS: "${topic}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
  }
  if (e.AIOPS_ALERT_CHANNEL) {
    const channel = parseAlertChannel(e.AIOPS_ALERT_CHANNEL);
    if (typeof channel === 'string') problems.push(`AIOPS_ALERT_CHANNEL: ${channel} (got "${e.AIOPS_ALERT_CHANNEL}")`);
  }
  if (e.AIOPS_TRACKER_LEASE_SECONDS < 2 * e.AIOPS_TRACKER_POLL_SECONDS) {
    problems.push(
      `AIOPS_TRACKER_LEASE_SECONDS: must be at least twice AIOPS_TRACKER_POLL_SECONDS (${e.AIOPS_TRACKER_POLL_SECONDS} s), or a replica loses its lease between two polls (got "${e.AIOPS_TRACKER_LEASE_SECONDS}")`,
    );
  }
  const order = e.AIOPS_ENV_ORDER;
  if (new Set(order).size !== order.length) problems.push(`AIOPS_ENV_ORDER: lists an environment twice (${order.join(',')})`);
  return problems;
}

function toConfig(e: Environment, raw: Record<string, string | undefined>): Config {
  const slack: Config['slack'] = !e.SLACK_BOT_TOKEN
    ? undefined
    : e.SLACK_APP_TOKEN
      ? { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, apiUrl: e.SLACK_API_URL }
      : { mode: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET ?? '', apiUrl: e.SLACK_API_URL };
  const teams: Config['teams'] = e.MicrosoftAppId !== undefined || e.AIOPS_TEAMS
    ? {
        appId: e.MicrosoftAppId ?? '',
        appPassword: e.MicrosoftAppPassword,
        appType: e.MicrosoftAppType ?? 'MultiTenant',
        tenantId: e.MicrosoftAppTenantId,
      }
    : undefined;
  const gitlab: Config['gitlab'] = e.GITLAB_URL && e.GITLAB_TOKEN
    ? { url: e.GITLAB_URL.replace(/\/+$/, ''), token: e.GITLAB_TOKEN, webhookSecret: e.GITLAB_WEBHOOK_SECRET, namespace: e.AIOPS_GITLAB_NAMESPACE }
    : undefined;
  const externalStore = Boolean(e.AWS_ENDPOINT_URL_DYNAMODB || e.AWS_REGION);
  return {
    port: e.PORT,
    logLevel: e.AIOPS_LOG_LEVEL,
    dataDir: e.AIOPS_DATA_DIR ?? '.aiops',
    catalogPath: e.AIOPS_CATALOG,
    policyPath: e.AIOPS_POLICY,
    admins: e.AIOPS_ADMINS,
    dryRun: e.AIOPS_DRY_RUN ?? gitlab === undefined,
    tablePrefix: e.AIOPS_TABLE_PREFIX,
    approvalTtlMinutes: e.AIOPS_APPROVAL_TTL_MINUTES,
    fourEyesEnvironments: e.AIOPS_FOUR_EYES_ENVS.length > 0 ? e.AIOPS_FOUR_EYES_ENVS : ['prod'],
    consoleUser: e.AIOPS_CONSOLE_USER ?? e.USER ?? 'operator',
    slack,
    teams,
    llm: e.ANTHROPIC_API_KEY
      ? {
          apiKey: e.ANTHROPIC_API_KEY,
          baseUrl: e.ANTHROPIC_BASE_URL,
          model: e.AIOPS_LLM_MODEL,
          timeoutMs: e.AIOPS_LLM_TIMEOUT_MS,
          ratePerMinute: e.AIOPS_LLM_RATE_PER_MIN,
          minConfidence: e.AIOPS_LLM_MIN_CONFIDENCE,
        }
      : undefined,
    llmModel: e.AIOPS_LLM_MODEL,
    gitlab,
    gitlabWebhookSecret: e.GITLAB_WEBHOOK_SECRET,
    envOrder: e.AIOPS_ENV_ORDER.length > 0 ? e.AIOPS_ENV_ORDER : ['dev', 'staging', 'prod'],
    aws: { region: e.AWS_REGION, dynamodbEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB, cloudwatchEndpoint: e.AWS_ENDPOINT_URL_CLOUDWATCH },
    externalStore,
    alerts: {
      snsTopics: e.AIOPS_SNS_TOPICS,
      pollSeconds: e.AIOPS_ALARM_POLL_SECONDS,
      defaultChannel: e.AIOPS_ALERT_CHANNEL,
      defaultTarget: alertTarget(e.AIOPS_ALERT_CHANNEL),
      recoveryMinConfidence: e.AIOPS_RECOVERY_MIN_CONFIDENCE,
      cooldownMinutes: e.AIOPS_COOLDOWN_MINUTES,
      verifyMinutes: e.AIOPS_VERIFY_MINUTES,
    },
    tracker: {
      leaseSeconds: e.AIOPS_TRACKER_LEASE_SECONDS,
      pollSeconds: e.AIOPS_TRACKER_POLL_SECONDS,
      sweepSeconds: e.AIOPS_TRACKER_SWEEP_SECONDS,
    },
    secrets: SECRET_VARIABLES.map((name) => raw[name]).filter((value): value is string => typeof value === 'string' && value.length >= 4),
  };
}

function alertTarget(value: string | undefined): AlertChannel | undefined {
  if (!value) return undefined;
  const parsed = parseAlertChannel(value);
  return typeof parsed === 'string' ? undefined : parsed;
}

/** Every variable the configuration reads (the README's table is checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);
