import { ManualClock } from '../../src/sessions/clock.js';
import { TestBot } from './bot.js';
import { CLAUDE_URL, TEST_API_KEY, testClient } from './claude.js';

/** A TestBot with Claude configured, talking to the nock fake (SDK and gateway retries off). */
export async function startLlmBot(store: { endpoint(): string; prefix(): string }, env: Record<string, string> = {}): Promise<TestBot> {
  const bot = await TestBot.start({
    endpoint: store.endpoint(),
    prefix: store.prefix(),
    clock: new ManualClock(new Date('2026-03-02T14:00:00Z')),
    env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: CLAUDE_URL, ...env },
    app: { llm: { client: testClient(), maxRetries: 0 } },
  });
  await bot.grant('dana', 'developer');
  await bot.grant('alice', 'devops');
  await bot.grant('bob', 'devops');
  await bot.grant('vic', 'viewer');
  return bot;
}
