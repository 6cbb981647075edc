import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  endpoint?: string;
  region?: string;
  /** fixed credentials for the embedded server; real DynamoDB uses the SDK's own chain */
  embedded?: boolean;
  maxAttempts?: number;
}

export function createDynamoClients({ endpoint, region, embedded, maxAttempts }: ClientOptions): { client: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    region: region ?? 'local',
    ...(embedded ? { credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' } } : {}),
    maxAttempts: maxAttempts ?? 3,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc };
}
