import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableSpec } from './tables.js';

export interface TableReport {
  table: string;
  created: boolean;
  indexesAdded: string[];
  ttl: 'enabled' | 'already enabled' | 'not supported' | 'none';
}

const keySchema = (partitionKey: string, sortKey?: string): KeySchemaElement[] => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
];

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const names = new Set<string>([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  for (const index of spec.indexes ?? []) {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

const gsi = (index: NonNullable<TableSpec['indexes']>[number]): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: keySchema(index.partitionKey, index.sortKey),
  Projection: { ProjectionType: 'ALL' },
});

/** Creates every declared table, index and TTL that is missing. Safe to run any number of times. */
export async function initTables(client: DynamoDBClient, prefix: string): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const spec of Object.values(TABLES) as TableSpec[]) {
    reports.push(await ensureTable(client, `${prefix}${spec.name}`, spec));
  }
  return reports;
}

async function ensureTable(client: DynamoDBClient, table: string, spec: TableSpec): Promise<TableReport> {
  const existing = await describe(client, table);
  let created = false;
  const indexesAdded: string[] = [];
  if (!existing) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keySchema(spec.partitionKey, spec.sortKey),
          AttributeDefinitions: attributeDefinitions(spec),
          ...(spec.indexes?.length ? { GlobalSecondaryIndexes: spec.indexes.map(gsi) } : {}),
        }),
      );
      created = true;
    } catch (error) {
      // another replica created it first
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
    await untilActive(client, table);
  } else {
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of spec.indexes ?? []) {
      if (present.has(index.name)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: attributeDefinitions(spec),
          GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
        }),
      );
      indexesAdded.push(index.name);
    }
  }
  return { table, created, indexesAdded, ttl: await ensureTtl(client, table, spec.ttlAttribute) };
}

/**
 * Waits for a new table to become ACTIVE. The SDK's waiter sleeps at least a second between
 * checks; the embedded store is ready within milliseconds, and DynamoDB within seconds.
 */
async function untilActive(client: DynamoDBClient, table: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 2_000)) {
    const description = await describe(client, table);
    const indexesReady = (description?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE');
    if (description?.TableStatus === 'ACTIVE' && indexesReady) return;
    if (Date.now() > deadline) throw new Error(`table ${table} did not become ACTIVE within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function describe(client: DynamoDBClient, table: string) {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    return Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function ensureTtl(client: DynamoDBClient, table: string, attribute: string | undefined): Promise<TableReport['ttl']> {
  if (!attribute) return 'none';
  try {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' || TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING') {
      return 'already enabled';
    }
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }),
    );
    return 'enabled';
  } catch (error) {
    // The embedded server has no TTL sweeper; every read and claim checks expiry itself.
    if (error instanceof Error && /UnknownOperation|not supported|UnrecognizedClient/i.test(`${error.name} ${error.message}`)) {
      return 'not supported';
    }
    throw error;
  }
}
