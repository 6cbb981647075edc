import { describe, expect, it } from 'vitest';
import type { Fleet } from '../support/fleet.js';
import { REQUESTER } from '../support/people.js';
import { shown } from '../support/workspace.js';

/** What a turn answers when DynamoDB does not (Engine.fail). */
const OUTAGE_REPLY = /I can't reach my database right now, so I did nothing \(ref c-[a-z0-9]+\)\. Try again in a few minutes; if it keeps happening, tell whoever runs aiops that DynamoDB is unreachable\./;

export function storeOutage(fleet: () => Fleet): void {
  describe('the store unreachable', () => {
    it('turns fail with a clear answer, both replicas stay up, and they work again when it returns', async () => {
      const { slack, store } = fleet();
      await fleet().ensure();
      const replicas = [fleet().bot(0), fleet().bot(1)];
      const stoppedAt = Date.now();
      await store.stop();

      const asked = await Promise.all(replicas.map((bot) => slack.say(bot, REQUESTER, 'whoami')));
      for (const mention of asked) {
        const answer = await slack.waitForPost(mention.event.ts, /./, 'an answer during the outage');
        expect(shown(answer)).toMatch(OUTAGE_REPLY);
      }
      // a reply in an aiops thread without a mention: whether the thread is ours is in the store, so no answer
      const reply = slack.threadReply(REQUESTER, 'whoami', asked[0]!.event.ts);
      expect(await slack.deliver(replicas[0]!, reply)).toBe(200);
      await replicas[0]!.waitForLog('Slack listener failed', (line) => Number(line.time) >= stoppedAt);
      // the background work meets the outage too: each replica's tracker sweep fails and carries on
      await Promise.all(replicas.map((bot) => bot.waitForLog('looking for unfinished deployments failed', (line) => Number(line.time) >= stoppedAt)));
      for (const bot of replicas) {
        expect(bot.alive).toBe(true);
        expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      }

      await store.restart();
      const again = await Promise.all(replicas.map((bot) => slack.say(bot, REQUESTER, 'whoami')));
      for (const mention of again) {
        const answer = await slack.waitForPost(mention.event.ts, /./, 'an answer after the store came back');
        expect(shown(answer)).toMatch(/You are \*rita\* \(`slack:UREQ`\), role \*devops\*/);
      }
      // the thread reply was never answered, during the outage or after
      expect(slack.posts(asked[0]!.event.ts)).toHaveLength(1);
      expect(replicas.every((bot) => bot.alive)).toBe(true);
    });
  });
}
