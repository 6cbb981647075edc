import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const embedded = useEmbeddedStore();
let store: OpenedStore;
const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));

beforeEach(async () => {
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: embedded.prefix(), createTables: true, clock });
});
afterEach(async () => store.close());

describe('KeyStore.increment', () => {
  it('counts atomically under concurrent increments, as replicas would', async () => {
    const counts = await Promise.all(Array.from({ length: 12 }, () => store.keys.increment('rate:u1:w1', 120)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('keeps the expiry set by the first increment', async () => {
    await store.keys.increment('rate:u2:w1', 120);
    clock.advance(60_000);
    await store.keys.increment('rate:u2:w1', 120);
    const record = await store.keys.get('rate:u2:w1');
    expect(record?.expiresAt).toBe(Math.floor(new Date('2026-03-02T14:00:00Z').getTime() / 1000) + 120);
    expect(record?.count).toBe(2);
  });

  it('keeps counters apart by key', async () => {
    await store.keys.increment('rate:a:w1', 120);
    expect(await store.keys.increment('rate:b:w1', 120)).toBe(1);
  });
});
