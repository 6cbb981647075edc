import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { physicalNames } from '../../src/sessions/tables.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { updateIf } from '../../src/sessions/update.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const embedded = useEmbeddedStore();
let store: OpenedStore;
let table: string;

beforeAll(async () => {
  const prefix = embedded.prefix();
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: prefix, createTables: true });
  table = physicalNames(prefix).locks;
});
afterAll(async () => store.close());

type Row = { target: string; status: string; note?: string; by?: string };

async function put(row: Row): Promise<void> {
  await store.doc.send(new PutCommand({ TableName: table, Item: row }));
}

describe('updateIf', () => {
  it('sets and removes only when the condition holds, and says when it did not', async () => {
    await put({ target: 'a', status: 'pending', note: 'draft' });
    const moved = await updateIf<Row>(store.doc, {
      table,
      key: { target: 'a' },
      set: { status: 'approved', by: 'bob', skipped: undefined },
      remove: ['note'],
      condition: '#status = :from',
      values: { ':from': 'pending' },
    });
    expect(moved).toEqual({ target: 'a', status: 'approved', by: 'bob' });
    const again = await updateIf<Row>(store.doc, { table, key: { target: 'a' }, set: { status: 'rejected' }, condition: '#status = :from', values: { ':from': 'pending' } });
    expect(again).toBeUndefined();
  });

  it('returns the item as it was when asked', async () => {
    await put({ target: 'b', status: 'pending' });
    const before = await updateIf<Row>(store.doc, { table, key: { target: 'b' }, set: { status: 'done' }, condition: 'attribute_exists(#target)', names: { '#target': 'target' }, returnOld: true });
    expect(before).toEqual({ target: 'b', status: 'pending' });
  });

  it('refuses a condition value that an attribute being set would overwrite', async () => {
    await expect(
      updateIf<Row>(store.doc, { table, key: { target: 'c' }, set: { status: 'approved' }, condition: '#status = :status', values: { ':status': 'pending' } }),
    ).rejects.toThrow(/:status is both a value of the condition and an attribute being set/);
  });
});
