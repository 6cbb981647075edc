import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalDeploymentLookup, DeploymentHistoryLookup, type DeploymentHistory } from '../../src/sources/deployment-lookup.js';
import { TestBot } from '../support/bot.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { ManualClock } from '../../src/sessions/clock.js';

const ALARM = new Date('2026-03-02T14:00:00Z');
type Item = Awaited<ReturnType<DeploymentHistory['history']>>[number];
const record = (item: Partial<Item> & Pick<Item, 'startedAt'>): Item => ({ kind: 'deploy', outcome: 'success', ...item });
const history = (items: Item[]): DeploymentHistory => ({ history: async () => items });

describe('the last deployment before an alarm, from the deployments record', () => {
  it('is the newest successful deploy, with the version it replaced', async () => {
    const lookup = new DeploymentHistoryLookup(
      history([
        record({ kind: 'recover', startedAt: '2026-03-02T13:50:00.000Z', finishedAt: '2026-03-02T13:52:00.000Z' }),
        record({ version: 'v1.4', outcome: 'failed', startedAt: '2026-03-02T13:40:00.000Z' }),
        record({ version: 'v1.3', replaces: 'v1.2', startedAt: '2026-03-02T13:15:00.000Z', finishedAt: '2026-03-02T13:20:00.000Z' }),
        record({ version: 'v1.2', startedAt: '2026-03-01T10:00:00.000Z' }),
      ]),
    );
    expect(await lookup.latestBefore('payments', 'prod', ALARM)).toEqual({ version: 'v1.3', previousVersion: 'v1.2', at: '2026-03-02T13:20:00.000Z' });
  });

  it('takes the previous version from history when the record does not say, and ignores what finished after the alarm', async () => {
    const lookup = new DeploymentHistoryLookup(
      history([
        record({ version: 'v1.5', startedAt: '2026-03-02T13:59:00.000Z', finishedAt: '2026-03-02T14:03:00.000Z' }),
        record({ version: 'v1.3', startedAt: '2026-03-02T13:15:00.000Z' }),
        record({ version: 'v1.3', startedAt: '2026-03-02T12:15:00.000Z' }),
        record({ version: 'v1.2', startedAt: '2026-03-01T10:00:00.000Z' }),
      ]),
    );
    expect(await lookup.latestBefore('payments', 'prod', ALARM)).toEqual({ version: 'v1.3', previousVersion: 'v1.2', at: '2026-03-02T13:15:00.000Z' });
  });

  it('blames no deployment when the last change was a rollback', async () => {
    const lookup = new DeploymentHistoryLookup(history([record({ kind: 'rollback', version: 'v1.2', startedAt: '2026-03-02T13:30:00.000Z' }), record({ version: 'v1.3', startedAt: '2026-03-02T13:00:00.000Z' })]));
    expect(await lookup.latestBefore('payments', 'prod', ALARM)).toBeUndefined();
  });
});

describe('the last deployment before an alarm, from executed deploy approvals', () => {
  const store = useEmbeddedStore();
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: new ManualClock(new Date('2026-03-02T12:00:00Z')) });
  });
  afterEach(async () => bot.close());

  async function deployed(version: string, at: string, result: string): Promise<void> {
    bot.clock.set(new Date(at));
    const id = `a-${version}-${at}`;
    await bot.app.store.approvals.create({
      id,
      action: 'deploy',
      slots: { service: 'payments', version, environment: 'prod' },
      plan: {},
      reply: { text: '' },
      service: 'payments',
      environment: 'prod',
      policy: 'four-eyes',
      requester: { key: 'slack:alice', name: 'alice' },
      conversation: { platform: 'slack', channel: 'C', thread: 'T' },
      correlationId: 'c-test',
      expiresAt: new Date(Date.parse(at) + 3_600_000).toISOString(),
    });
    await bot.app.store.approvals.decide(id, 'approved', { key: 'slack:bob', name: 'bob' });
    await bot.app.store.approvals.finish(id, 'executed', result);
  }

  it('is the newest executed deploy, skipping dry-runs', async () => {
    await deployed('v1.2', '2026-03-01T10:00:00.000Z', 'Started pipeline #70');
    await deployed('v1.3', '2026-03-02T13:20:00.000Z', 'Started pipeline #71');
    await deployed('v1.4', '2026-03-02T13:40:00.000Z', '*Dry-run:* Deploy payments v1.4 to prod. Nothing was changed.');
    const lookup = new ApprovalDeploymentLookup(bot.app.store);
    expect(await lookup.latestBefore('payments', 'prod', ALARM)).toEqual({ version: 'v1.3', previousVersion: 'v1.2', at: '2026-03-02T13:20:00.000Z' });
    expect(await lookup.latestBefore('payments', 'staging', ALARM)).toBeUndefined();
  });
});
