import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { newDeployment } from '../support/tracking.js';

const embedded = useEmbeddedStore();
let store: OpenedStore;
const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));

beforeAll(async () => {
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: embedded.prefix(), createTables: true, clock });
});
afterAll(async () => store.close());

const input = (environment: string, version: string) => newDeployment({ environment, version });

describe('the deployments table', () => {
  it('lists only unfinished deployments in the sparse tracking index, and finishes each once', async () => {
    const first = await store.deployments.create(input('dev', 'v1'));
    clock.advance(1000);
    const second = await store.deployments.create(input('dev', 'v2'));
    await store.deployments.started(first.id, { id: 1, url: 'u', status: 'running', sha: 'abc' });
    expect((await store.deployments.unfinished()).map((item) => item.id)).toEqual([first.id, second.id]);

    const outcomes = await Promise.all([store.deployments.finish(first.id, 'success'), store.deployments.finish(first.id, 'failed')]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await store.deployments.unfinished()).map((item) => item.id)).toEqual([second.id]);
    expect(await store.deployments.progress(first.id, { pipelineStatus: 'running', jobs: [] })).toBeUndefined();
    const finished = await store.deployments.get(first.id);
    expect(finished?.tracking).toBeUndefined();
    expect(finished?.finishedAt).toBe(clock.now().toISOString());
  });

  it('answers the history of one service and environment, newest first', async () => {
    clock.advance(1000);
    await store.deployments.create(input('prod', 'v1'));
    clock.advance(1000);
    await store.deployments.create(input('prod', 'v2'));
    expect((await store.deployments.history('payments', 'prod')).map((item) => item.version)).toEqual(['v2', 'v1']);
    expect(await store.deployments.history('orders', 'prod')).toEqual([]);
  });
});

describe('heads: what runs in each environment, for the overview', () => {
  it('are busy while a deployment runs, move forward on success, and stay on failure', async () => {
    const first = await store.deployments.create(input('qa', 'v1.0'));
    let heads = await store.deployments.heads([{ service: 'payments', environment: 'qa' }]);
    expect(heads.get('payments#qa')).toMatchObject({ busy: { deployment: first.id } });
    clock.advance(60_000);
    await store.deployments.finish(first.id, 'success');
    const second = await store.deployments.create(input('qa', 'v1.1'));
    clock.advance(60_000);
    await store.deployments.finish(second.id, 'failed');
    heads = await store.deployments.heads([{ service: 'payments', environment: 'qa' }, { service: 'payments', environment: 'nowhere' }]);
    expect(heads.get('payments#qa')?.running?.version).toBe('v1.0');
    expect(heads.get('payments#qa')?.busy).toBeUndefined();
    expect(heads.has('payments#nowhere')).toBe(false);
  });

  it('are not moved back by an older deployment finishing late, nor un-busied by it', async () => {
    const older = await store.deployments.create(input('perf', 'v2.0'));
    clock.advance(60_000);
    const newer = await store.deployments.create(input('perf', 'v2.1'));
    clock.advance(60_000);
    await store.deployments.finish(newer.id, 'success');
    const running = await store.deployments.create(input('perf', 'v2.2'));
    clock.advance(-30_000);
    await store.deployments.finish(older.id, 'success');
    const head = (await store.deployments.heads([{ service: 'payments', environment: 'perf' }])).get('payments#perf');
    expect(head?.running?.version).toBe('v2.1');
    expect(head?.busy?.deployment).toBe(running.id);
  });
});
