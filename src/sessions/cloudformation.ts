import { TABLES, type TableSpec } from './tables.js';

/**
 * A CloudFormation template for every table in tables.ts: on-demand billing, point-in-time
 * recovery, TTL and deletion protection. deploy/dynamodb.cfn.json is generated from this
 * (`npm run gen:deploy`) and a test fails when the two drift apart.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const logicalId = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}Table`;

function keySchema(partitionKey: string, sortKey?: string): Json[] {
  return [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : [])];
}

function tableResource(spec: TableSpec): Json {
  const attributes = new Set<string>([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  for (const index of spec.indexes ?? []) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  const properties: { [key: string]: Json } = {
    TableName: { 'Fn::Sub': `\${TablePrefix}${spec.name}` },
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
    DeletionProtectionEnabled: true,
    Tags: [{ Key: 'app', Value: 'aiops' }, { Key: 'purpose', Value: spec.purpose }],
  };
  if (spec.indexes?.length) {
    properties.GlobalSecondaryIndexes = spec.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    }));
  }
  if (spec.ttlAttribute) properties.TimeToLiveSpecification = { AttributeName: spec.ttlAttribute, Enabled: true };
  return { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: properties };
}

export function cloudFormationTemplate(): Json {
  const specs = Object.values(TABLES) as TableSpec[];
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'aiops DynamoDB tables (generated from src/sessions/tables.ts by `npm run gen:deploy`; do not edit by hand)',
    Parameters: {
      TablePrefix: { Type: 'String', Default: 'aiops_', Description: 'must match AIOPS_TABLE_PREFIX', AllowedPattern: '^[A-Za-z0-9_.-]*$' },
    },
    Resources: Object.fromEntries(specs.map((spec) => [logicalId(spec.name), tableResource(spec)])),
    Outputs: Object.fromEntries(
      specs.map((spec) => [`${logicalId(spec.name)}Arn`, { Value: { 'Fn::GetAtt': [logicalId(spec.name), 'Arn'] } }]),
    ),
  };
}

export const renderTemplate = (): string => `${JSON.stringify(cloudFormationTemplate(), null, 2)}\n`;
