import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/sessions/cloudformation.js';
import { TABLES } from '../../src/sessions/tables.js';

interface TableResource {
  Properties: {
    TableName: { 'Fn::Sub': string };
    KeySchema: Array<{ AttributeName: string; KeyType: string }>;
    GlobalSecondaryIndexes?: Array<{ IndexName: string }>;
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean };
  };
}

describe('deploy/dynamodb.cfn.json', () => {
  const committed = readFileSync(new URL('../../deploy/dynamodb.cfn.json', import.meta.url), 'utf8');

  it('is exactly what the table declaration generates (run `npm run gen:deploy` after changing tables.ts)', () => {
    expect(committed).toBe(renderTemplate());
  });

  it('declares every table with its keys, indexes, TTL and point-in-time recovery', () => {
    const resources = Object.values((JSON.parse(committed) as { Resources: Record<string, TableResource> }).Resources);
    expect(resources).toHaveLength(Object.keys(TABLES).length);
    for (const spec of Object.values(TABLES)) {
      const table = resources.find((resource) => resource.Properties.TableName['Fn::Sub'] === `\${TablePrefix}${spec.name}`);
      expect(table, spec.name).toBeDefined();
      expect(table!.Properties.KeySchema[0]).toEqual({ AttributeName: spec.partitionKey, KeyType: 'HASH' });
      expect(table!.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      const indexes = 'indexes' in spec ? spec.indexes.map((index) => index.name) : [];
      expect((table!.Properties.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(indexes);
      const ttl = 'ttlAttribute' in spec ? spec.ttlAttribute : undefined;
      expect(table!.Properties.TimeToLiveSpecification?.AttributeName).toBe(ttl);
    }
  });
});
