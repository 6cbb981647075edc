import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import { ApprovalStore } from './approvals.js';
import { IncidentStore } from './incidents.js';
import { AuditLog } from './audit.js';
import { AutofixStore } from './autofixes.js';
import { createDynamoClients } from './client.js';
import { ConversationStore } from './conversations.js';
import { systemClock, type Clock } from './clock.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embedded.js';
import { DeploymentStore } from './deployments.js';
import { initTables, type TableReport } from './init-tables.js';
import { KeyStore } from './keys.js';
import { LockStore } from './locks.js';
import { RoleStore } from './roles.js';
import { physicalNames, type TableNames } from './tables.js';
import { ThreadStore } from './threads.js';

/** Everything aiops remembers, one repository per record type, all in DynamoDB. */
export interface Store {
  doc: DynamoDBDocumentClient;
  client: DynamoDBClient;
  tables: TableNames;
  clock: Clock;
  endpoint: string | undefined;
  threads: ThreadStore;
  incidents: IncidentStore;
  approvals: ApprovalStore;
  autofixes: AutofixStore;
  audit: AuditLog;
  roles: RoleStore;
  keys: KeyStore;
  locks: LockStore;
  deployments: DeploymentStore;
  conversations: ConversationStore;
  /** cheap round trip used by readiness checks */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** real or already-running DynamoDB endpoint; when absent an embedded server is started */
  endpoint?: string;
  region?: string;
  /** where the embedded server persists; in memory when absent */
  dataDir?: string;
  tablePrefix: string;
  /** create missing tables on open (the embedded default always does) */
  createTables?: boolean;
  clock?: Clock;
  maxAttempts?: number;
  /** per-attempt timeouts of store requests (tests shorten them) */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** port for the embedded server; 0 (any free port) by default */
  embeddedPort?: number;
}

export interface OpenedStore extends Store {
  tableReports: TableReport[];
}

export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  const clock = options.clock ?? systemClock;
  let embedded: EmbeddedDynamo | undefined;
  let endpoint = options.endpoint;
  if (!endpoint && !options.region) {
    embedded = await startEmbeddedDynamo({
      ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
      ...(options.embeddedPort !== undefined ? { port: options.embeddedPort } : {}),
    });
    endpoint = embedded.endpoint;
  }
  const { client, doc } = createDynamoClients({
    ...(endpoint ? { endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    embedded: embedded !== undefined || isLoopback(endpoint),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: options.connectionTimeoutMs } : {}),
  });
  const tables = physicalNames(options.tablePrefix);
  const tableReports = options.createTables || embedded ? await initTables(client, options.tablePrefix) : [];
  return {
    doc,
    client,
    tables,
    clock,
    endpoint,
    tableReports,
    threads: new ThreadStore(doc, tables.threads, clock),
    incidents: new IncidentStore(doc, tables.incidents, clock),
    approvals: new ApprovalStore(doc, tables.approvals, clock),
    autofixes: new AutofixStore(doc, tables.autofixes, clock),
    audit: new AuditLog(doc, tables.audit, clock),
    roles: new RoleStore(doc, tables.roles, clock),
    keys: new KeyStore(doc, tables.keys, clock),
    locks: new LockStore(doc, tables.locks, clock),
    deployments: new DeploymentStore(doc, tables.deployments, clock),
    conversations: new ConversationStore(doc, tables.conversations, clock),
    // a read of a key that never exists: needs only the GetItem the bot has anyway (ListTables is account-wide in IAM)
    ping: async () => {
      await doc.send(new GetCommand({ TableName: tables.keys, Key: { key: 'aiops:readyz' } }));
    },
    close: async () => {
      client.destroy();
      await embedded?.close();
    },
  };
}

function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
