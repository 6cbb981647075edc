import { afterAll, afterEach, beforeAll } from 'vitest';
import { Fleet } from './fleet.js';
import { grantRoles } from './people.js';

/**
 * One fleet for the whole file: starting two bot processes costs seconds, so the scenarios
 * share them, and each scenario first calls `ensure()` to replace a bot an earlier one killed.
 */
export function useFleet(): () => Fleet {
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    fleet = await Fleet.start();
    await grantRoles(fleet);
  }, 120_000);
  afterEach((context) => {
    if (context.task.result?.state !== 'fail' || !fleet) return;
    for (const bot of fleet.bots) process.stderr.write(`\n--- last lines of ${bot.name} (${bot.alive ? 'alive' : `exited ${JSON.stringify(bot.exit)}`}) ---\n${bot.tail(40)}\n`);
  });
  afterAll(async () => {
    await fleet?.close();
  }, 30_000);
  return () => {
    if (!fleet) throw new Error('the fleet is not started (use it inside a test)');
    return fleet;
  };
}
