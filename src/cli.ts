import { parseArgs } from 'node:util';
import { EXAMPLE_CATALOG } from './app.js';
import { CatalogError, loadCatalog } from './catalog/catalog.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { readJsonl, JsonlError } from './eval/jsonl.js';
import { evaluateFailures, failureExampleSchema, formatFailureReport } from './eval/failures.js';
import { evaluateIntents, formatIntentReport, intentExampleSchema } from './eval/intents.js';
import { analyzeFailure } from './remediation/analyze.js';
import { claudeEvalRecognizer, EvalSetupError, formatLlmStats, grammarEvalRecognizer, RECOGNIZERS, type EvalRecognizer, type RecognizerName } from './eval/recognizers.js';
import { createLogger } from './log.js';
import { createDynamoClients } from './sessions/client.js';
import { startEmbeddedDynamo } from './sessions/embedded.js';
import { initTables } from './sessions/init-tables.js';
import { start, type StartMode } from './main.js';
import { join } from 'node:path';

const USAGE = `usage: aiops <command>

  start                      run the bot (console in a terminal when no chat platform is configured)
  console                    the terminal chat on the embedded defaults
  init-tables                create the DynamoDB tables (idempotent)
  catalog check [--file F]   validate the service catalog
  eval intents --file F [--json] [--recognizer grammar|llm|auto]
                             score the recognizer on a JSON Lines file of {"text","intent","slots"};
                             llm and auto call Claude (ANTHROPIC_API_KEY); auto is the production order
  eval failures --file F [--json]
                             score the failure playbooks on a JSON Lines file of {"id","category","log"}
  bench [--json]             Slack throughput and latency: a bare Bolt app against aiops
`;

export async function run(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [command = 'start', ...rest] = argv;
  try {
    switch (command) {
      case 'start':
      case 'console':
        return await startCommand(loadConfig(env), command === 'console' ? 'console' : 'auto');
      case 'server':
        return await startCommand(loadConfig(env), 'server');
      case 'init-tables':
        return await initTablesCommand(loadConfig(env));
      case 'catalog':
        return catalogCommand(rest, loadConfig(env));
      case 'eval':
        return await evalCommand(rest, env);
      case 'bench':
        return await (await import('./bench/run.js')).runBench(rest);
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CatalogError || error instanceof JsonlError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function startCommand(config: Config, mode: StartMode): Promise<number> {
  const running = await start(config, { mode, stdin: process.stdin, stdout: process.stdout, handleSignals: true });
  await running.done;
  return 0;
}

async function initTablesCommand(config: Config): Promise<number> {
  const embedded = config.externalStore ? undefined : await startEmbeddedDynamo({ path: join(config.dataDir, 'dynamodb') });
  const { client } = createDynamoClients({
    ...(embedded ? { endpoint: embedded.endpoint, embedded: true } : {}),
    ...(config.aws.dynamodbEndpoint ? { endpoint: config.aws.dynamodbEndpoint } : {}),
    ...(config.aws.region ? { region: config.aws.region } : {}),
  });
  try {
    for (const report of await initTables(client, config.tablePrefix)) {
      const indexes = report.indexesAdded.length > 0 ? `, added indexes ${report.indexesAdded.join(', ')}` : '';
      process.stdout.write(`${report.table}: ${report.created ? 'created' : 'exists'}${indexes}, ttl ${report.ttl}\n`);
    }
  } finally {
    client.destroy();
    await embedded?.close();
  }
  return 0;
}

function catalogCommand(args: string[], config: Config): number {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { file: { type: 'string' } } });
  if (positionals[0] !== 'check') {
    process.stderr.write('usage: aiops catalog check [--file F]\n');
    return 2;
  }
  const path = values.file ?? config.catalogPath ?? EXAMPLE_CATALOG;
  const catalog = loadCatalog(path, config.envOrder);
  process.stdout.write(`${path}: ${catalog.services.length} services\n`);
  for (const service of catalog.services) {
    const missing = service.projectSlug ? '' : '  (no gitlab.com/project-slug: GitLab actions will refuse)';
    process.stdout.write(`  ${service.name}  owner ${service.owner}  environments ${service.environments.join(',')}${missing}\n`);
  }
  return 0;
}

async function evalCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { file: { type: 'string' }, json: { type: 'boolean', default: false }, recognizer: { type: 'string', default: 'grammar' } },
  });
  if (positionals[0] === 'failures' && values.file) {
    const report = evaluateFailures(readJsonl(values.file, failureExampleSchema), (log) => analyzeFailure(log));
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatFailureReport(report)}\n`);
    return 0;
  }
  const name = values.recognizer as RecognizerName;
  if (positionals[0] !== 'intents' || !values.file || !RECOGNIZERS.includes(name)) {
    process.stderr.write('usage: aiops eval intents --file F [--json] [--recognizer grammar|llm|auto] | eval failures --file F [--json]\n');
    return 2;
  }
  const examples = readJsonl(values.file, intentExampleSchema);
  let recognizer: EvalRecognizer = grammarEvalRecognizer();
  if (name !== 'grammar') {
    const config = loadConfig(env);
    // per-call logs would drown the report: warnings and worse, on stderr
    const log = createLogger({ level: 'warn', secrets: config.secrets, destination: process.stderr });
    try {
      recognizer = claudeEvalRecognizer(name, config, log);
    } catch (error) {
      if (!(error instanceof EvalSetupError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
  }
  const report = await evaluateIntents(examples, (text) => recognizer.recognize(text));
  const llm = recognizer.llmStats?.();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(llm ? { ...report, summary: { ...report.summary, llm } } : report)}\n`);
  } else {
    process.stdout.write(`${formatIntentReport(report)}${llm ? formatLlmStats(llm) : ''}\n`);
  }
  return 0;
}
