import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  endpoint?: string;
  region?: string;
  /** fixed credentials for the embedded server; real DynamoDB uses the SDK's own chain */
  embedded?: boolean;
  maxAttempts?: number;
  /** per attempt; the SDK's default is to wait forever */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * DynamoDB answers in milliseconds; a store that takes seconds is down. Without these a
 * blackholed endpoint would hold every turn (and its slot in the turn queue) forever.
 */
export const STORE_CONNECTION_TIMEOUT_MS = 3_000;
export const STORE_REQUEST_TIMEOUT_MS = 5_000;

const EMBEDDED_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=embedded/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=embedded';

async function embeddedSignature<T extends { headers: Record<string, string> }>(request: T): Promise<T> {
  request.headers.authorization = EMBEDDED_AUTHORIZATION;
  request.headers['x-amz-date'] = '20260101T000000Z';
  return request;
}

export function createDynamoClients({ endpoint, region, embedded, maxAttempts, connectionTimeoutMs, requestTimeoutMs }: ClientOptions): { client: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    region: region ?? 'local',
    // the embedded server checks that a signature is present but not what it is: skip computing SigV4
    ...(embedded ? { credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' }, signer: { sign: embeddedSignature } } : {}),
    maxAttempts: maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: connectionTimeoutMs ?? STORE_CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs ?? STORE_REQUEST_TIMEOUT_MS,
      // without this the SDK only warns when the request timeout passes, and keeps waiting
      throwOnRequestTimeout: true,
    },
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc };
}
