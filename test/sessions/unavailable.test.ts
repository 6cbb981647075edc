import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDynamo } from '../../src/sessions/embedded.js';
import { openStore } from '../../src/sessions/store.js';
import { isStoreUnavailable } from '../../src/sessions/unavailable.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();

const failureOf = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

const sdkError = (name: string, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(name), { name, $metadata: { attempts: 3 }, ...fields });

describe('isStoreUnavailable', () => {
  it('is true for a store that stopped answering, once the SDK has retried', async () => {
    const server = await startEmbeddedDynamo();
    const opened = await openStore({ endpoint: server.endpoint, tablePrefix: store.prefix() });
    await server.close();
    const failure = await failureOf(opened.keys.claim('k', 60));
    await opened.close();
    expect(failure).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(failure)).toBe(true);
  });

  it('is false for an answer from the store, such as a table that does not exist', async () => {
    const opened = await openStore({ endpoint: store.endpoint(), tablePrefix: store.prefix() });
    const refused = await failureOf(opened.doc.send(new PutCommand({ TableName: 'no_such_table', Item: { key: 'k' } })));
    await opened.close();
    expect(refused).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(isStoreUnavailable(refused)).toBe(false);
  });

  it('knows throttling, timeouts and server faults, and nothing that did not come from the SDK', () => {
    expect(isStoreUnavailable(sdkError('ProvisionedThroughputExceededException', { $fault: 'client' }))).toBe(true);
    expect(isStoreUnavailable(sdkError('TimeoutError'))).toBe(true);
    expect(isStoreUnavailable(sdkError('InternalServerError', { $fault: 'server' }))).toBe(true);
    expect(isStoreUnavailable(sdkError('ConditionalCheckFailedException', { $fault: 'client' }))).toBe(false);
    expect(isStoreUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
  });
});
