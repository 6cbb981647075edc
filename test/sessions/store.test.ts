import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../src/sessions/client.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { initTables } from '../../src/sessions/init-tables.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { TABLES } from '../../src/sessions/tables.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const embedded = useEmbeddedStore();
const opened: OpenedStore[] = [];
let clock = new ManualClock();

async function store(prefix = embedded.prefix()): Promise<OpenedStore> {
  const s = await openStore({ endpoint: embedded.endpoint(), tablePrefix: prefix, createTables: true, clock });
  opened.push(s);
  return s;
}

beforeEach(() => {
  clock = new ManualClock(new Date('2026-05-01T09:00:00Z'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('init-tables', () => {
  it('creates every declared table once and is idempotent', async () => {
    const prefix = embedded.prefix();
    const { client } = createDynamoClients({ endpoint: embedded.endpoint(), embedded: true });
    const first = await initTables(client, prefix);
    const second = await initTables(client, prefix);
    client.destroy();
    expect(first.map((report) => report.table)).toEqual(Object.values(TABLES).map((spec) => `${prefix}${spec.name}`));
    expect(first.every((report) => report.created)).toBe(true);
    expect(second.every((report) => !report.created && report.indexesAdded.length === 0)).toBe(true);
  });
});

describe('thread sessions', () => {
  it('keep the last 10 turns and expire after 24 hours', async () => {
    const s = await store();
    for (let i = 0; i < 12; i += 1) {
      await s.threads.update('slack:C1:t1', (session) => session.turns.push({ at: clock.now().toISOString(), from: 'user', text: `m${i}` }));
    }
    const session = await s.threads.load('slack:C1:t1');
    expect(session.turns.map((turn) => turn.text)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11']);
    clock.advance(24 * 3600_000 + 1000);
    expect((await s.threads.load('slack:C1:t1')).turns).toEqual([]);
  });

  it('lose no turn when two writers race on one thread', async () => {
    const s = await store();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.threads.update('slack:C1:race', (session) => session.turns.push({ at: 'x', from: 'user', text: `w${i}` }))),
    );
    const texts = (await s.threads.load('slack:C1:race')).turns.map((turn) => turn.text).sort();
    expect(texts).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
  });
});

describe('approvals', () => {
  const base = {
    action: 'deploy',
    slots: {},
    plan: {},
    reply: { text: 'x' },
    policy: 'four-eyes' as const,
    requester: { key: 'slack:U1', name: 'u1' },
    conversation: { platform: 'slack' as const, channel: 'C', thread: 't' },
    correlationId: 'c-1',
  };

  it('move pending -> approved -> executed, each step exactly once', async () => {
    const s = await store();
    await s.approvals.create({ ...base, id: 'a1', expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    const racers = await Promise.all([1, 2, 3, 4, 5].map((n) => s.approvals.decide('a1', n % 2 ? 'approved' : 'rejected', { key: `slack:U${n}`, name: `u${n}` })));
    expect(racers.filter((result) => result.ok)).toHaveLength(1);
    expect((await s.approvals.finish('a1', 'executed', 'done')).ok).toBe(true);
    expect((await s.approvals.finish('a1', 'failed', 'again')).ok).toBe(false);
  });

  it('cannot be approved after expiry, only expired', async () => {
    const s = await store();
    await s.approvals.create({ ...base, id: 'a2', expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    clock.advance(61_000);
    expect((await s.approvals.decide('a2', 'approved', { key: 'slack:U2', name: 'u2' })).ok).toBe(false);
    const expired = await s.approvals.expire('a2');
    expect(expired.ok && expired.approval.status).toBe('expired');
  });
});

describe('once-only keys', () => {
  it('let exactly one claimer win until the key expires', async () => {
    const s = await store();
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => s.keys.claim('lease:poller', 60, `r${i}`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    clock.advance(61_000);
    expect(await s.keys.claim('lease:poller', 60, 'late')).toBe(true);
  });

  it('renew only for their owner and release only by their owner', async () => {
    const s = await store();
    await s.keys.claim('lease:x', 60, 'a');
    expect(await s.keys.renew('lease:x', 'b', 60)).toBe(false);
    expect(await s.keys.renew('lease:x', 'a', 60)).toBe(true);
    await s.keys.release('lease:x', 'b');
    expect((await s.keys.get('lease:x'))?.owner).toBe('a');
    await s.keys.release('lease:x', 'a');
    expect(await s.keys.get('lease:x')).toBeUndefined();
  });
});

describe('the audit trail', () => {
  it('is append-only and queryable by time and by actor', async () => {
    const s = await store();
    await s.audit.append({ actor: 'slack:U1', actorName: 'u1', event: 'request', correlationId: 'c-1' });
    clock.advance(1000);
    await s.audit.append({ actor: 'slack:U2', actorName: 'u2', event: 'approval.approved', correlationId: 'c-1' });
    clock.advance(24 * 3600_000);
    await s.audit.append({ actor: 'slack:U1', actorName: 'u1', event: 'executed', correlationId: 'c-1' });
    expect((await s.audit.recent(10)).map((entry) => entry.event)).toEqual(['executed', 'approval.approved', 'request']);
    expect((await s.audit.byActor('slack:U1', 10)).map((entry) => entry.event)).toEqual(['executed', 'request']);
    const firstDay = await s.audit.between('2026-05-01T00:00:00.000Z', '2026-05-01T23:59:59.999Z');
    expect(firstDay.map((entry) => entry.event)).toEqual(['request', 'approval.approved']);
  });
});

describe('the embedded store on disk', () => {
  it('keeps approvals, roles and audit across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiops-data-'));
    const first = await openStore({ dataDir, tablePrefix: 'aiops_', clock });
    await first.roles.set('console:bob', 'devops', 'test');
    await first.audit.append({ actor: 'console:bob', actorName: 'bob', event: 'admin', correlationId: 'c-9' });
    await first.close();
    const second = await openStore({ dataDir, tablePrefix: 'aiops_', clock });
    try {
      expect((await second.roles.get('console:bob'))?.role).toBe('devops');
      expect((await second.audit.recent(5)).map((entry) => entry.correlationId)).toEqual(['c-9']);
      expect(second.tableReports.every((report) => !report.created)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
