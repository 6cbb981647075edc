import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Object keys whose values are always secret, wherever they appear in a log line. */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'apiKey',
  'password',
  'appPassword',
  'secret',
  'signingSecret',
  'webhookSecret',
  'authorization',
  'Authorization',
  'cookie',
  'x-slack-signature',
  'x-gitlab-token',
  'x-api-key',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MicrosoftAppPassword',
  'ANTHROPIC_API_KEY',
  'GITLAB_TOKEN',
  'GITLAB_WEBHOOK_SECRET',
];

const accessor = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [
  accessor(key).replace(/^\./, ''),
  `*${accessor(key)}`,
  `*.*${accessor(key)}`,
]);

/** Token shapes that must never be logged even when they arrive inside free text. */
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{8,}/g,
  /xapp-[A-Za-z0-9-]{8,}/g,
  /glpat-[A-Za-z0-9_-]{12,}/g,
  /sk-ant-[A-Za-z0-9_-]{12,}/g,
  /AKIA[0-9A-Z]{16}/g,
  /(?<=Bearer )[A-Za-z0-9._~+/=-]{12,}/g,
];

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= 4) masked = masked.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) masked = masked.replace(pattern, '[redacted]');
  return masked;
}

export interface LoggerOptions {
  level: string;
  secrets: readonly string[];
  destination?: DestinationStream;
}

export function createLogger({ level, secrets, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: 'aiops' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line: string) => maskSecrets(line, secrets) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    // asynchronous writes to stdout: a turn does not wait for a write syscall per log line
    // (shutdown flushes; a kill -9 may lose the last lines, as with any buffered logger)
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export interface TurnLogContext {
  correlationId: string;
  platform: string;
  user: string;
  intent?: string;
}

export function turnLogger(parent: Logger, context: TurnLogContext): Logger {
  return parent.child(context);
}
