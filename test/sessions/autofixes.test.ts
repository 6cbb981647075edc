import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineWatch, refWatch, type NewAutofix } from '../../src/sessions/autofixes.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const embedded = useEmbeddedStore();
let store: OpenedStore;
const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));

beforeAll(async () => {
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: embedded.prefix(), createTables: true, clock });
});
afterAll(async () => store.close());

const fix = (id: string): NewAutofix => ({
  id,
  service: 'payments',
  project: 'acme/payments',
  pipelineId: 31,
  jobName: 'test-build',
  jobId: 378,
  playbookId: 'pb-infra-001',
  kind: 'retry',
  origin: 'auto',
  by: { key: 'aiops:autofix', name: 'aiops' },
  correlationId: 'c-1',
});

describe('the autofixes table', () => {
  it('lets exactly one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => store.autofixes.claim(fix('acme/payments#31#test-build#retry'))));
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
    expect(results.filter((result) => !result.claimed).every((result) => result.record?.status === 'claimed')).toBe(true);
  });

  it('watches an applied fix until the first finish, which removes it from both indexes', async () => {
    await store.autofixes.claim(fix('acme/payments#31#lint#retry'));
    await store.autofixes.applied('acme/payments#31#lint#retry', { watch: pipelineWatch('acme/payments', 31), newJob: { id: 401, url: 'u' } });
    await store.autofixes.claim({ ...fix('acme/payments#31#test#pb-dep-001'), kind: 'add-dependency' });
    await store.autofixes.applied('acme/payments#31#test#pb-dep-001', { watch: refWatch('acme/payments', 'aiops/autofix/main/add-requests') });
    expect((await store.autofixes.watchedBy(pipelineWatch('acme/payments', 31))).map((item) => item.id)).toEqual(['acme/payments#31#lint#retry']);
    expect((await store.autofixes.watching()).map((item) => item.id).sort()).toEqual(['acme/payments#31#lint#retry', 'acme/payments#31#test#pb-dep-001']);

    const finishes = await Promise.all([1, 2, 3].map(() => store.autofixes.finish('acme/payments#31#lint#retry', 'success', { id: 31, url: 'p' })));
    expect(finishes.filter(Boolean)).toHaveLength(1);
    expect(finishes.find(Boolean)).toMatchObject({ outcome: 'success', status: 'applied', newJob: { id: 401 } });
    expect(await store.autofixes.watchedBy(pipelineWatch('acme/payments', 31))).toEqual([]);
    expect((await store.autofixes.watching()).map((item) => item.id)).toEqual(['acme/payments#31#test#pb-dep-001']);
  });

  it('keeps a failed fix claimed, so it is not tried again', async () => {
    await store.autofixes.claim(fix('acme/payments#32#test-build#retry'));
    await store.autofixes.failed('acme/payments#32#test-build#retry', 'GitLab answered 403');
    const again = await store.autofixes.claim(fix('acme/payments#32#test-build#retry'));
    expect(again).toMatchObject({ claimed: false, record: { status: 'failed', detail: 'GitLab answered 403' } });
  });
});
