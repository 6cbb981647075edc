import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { DeploymentHistoryLookup } from '../../src/sources/deployment-lookup.js';
import { TestBot } from '../support/bot.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { seedDeployment } from '../support/tracking.js';

const embedded = useEmbeddedStore();
let bot: TestBot;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  bot = await TestBot.start({ endpoint: embedded.endpoint(), prefix: embedded.prefix(), clock });
});
afterEach(async () => bot.close());

const seed = (fields: Parameters<typeof seedDeployment>[2]) => seedDeployment(bot.app.store, clock, fields);
const lookup = () => new DeploymentHistoryLookup(bot.app.store.deployments);

describe('the last deployment before an alarm, from the deployments record', () => {
  it('is the newest successful deploy, with the version it replaced; failures and recoveries do not count', async () => {
    await seed({ environment: 'prod', version: 'v1.2', outcome: 'success', pipelineId: 1 });
    const good = await seed({ environment: 'prod', version: 'v1.3', replaces: 'v1.2', outcome: 'success', pipelineId: 2 });
    await seed({ environment: 'prod', version: 'v1.4', outcome: 'failed', pipelineId: 3 });
    await seed({ environment: 'staging', version: 'v1.5', outcome: 'success', pipelineId: 4 });
    const alarm = new Date(clock.now().getTime() + 60_000);
    expect(await lookup().latestBefore('payments', 'prod', alarm)).toEqual({ version: 'v1.3', previousVersion: 'v1.2', at: good.finishedAt });
  });

  it('takes the previous version from history when the record does not say, and ignores what finished after the alarm', async () => {
    await seed({ environment: 'prod', version: 'v1.2', outcome: 'success', pipelineId: 1 });
    await seed({ environment: 'prod', version: 'v1.3', outcome: 'success', pipelineId: 2 });
    const last = await seed({ environment: 'prod', version: 'v1.3', outcome: 'success', pipelineId: 3 });
    const alarm = new Date(clock.now().getTime() + 1000);
    await seed({ environment: 'prod', version: 'v1.5', outcome: 'success', pipelineId: 4 });
    expect(await lookup().latestBefore('payments', 'prod', alarm)).toEqual({ version: 'v1.3', previousVersion: 'v1.2', at: last.finishedAt });
  });

  it('blames no deployment when the last change was a rollback', async () => {
    await seed({ environment: 'prod', version: 'v1.3', outcome: 'success', pipelineId: 1 });
    await seed({ environment: 'prod', version: 'v1.2', outcome: 'success', kind: 'rollback', pipelineId: 2 });
    expect(await lookup().latestBefore('payments', 'prod', new Date(clock.now().getTime() + 1000))).toBeUndefined();
  });
});
