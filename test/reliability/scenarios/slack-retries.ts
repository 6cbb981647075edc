import { describe, expect, it } from 'vitest';
import { settle, waitFor } from '../../support/wait.js';
import type { Fleet } from '../support/fleet.js';
import { REQUESTER } from '../support/people.js';
import type { Envelope } from '../support/workspace.js';

const EVENTS = 12;
const DELIVERIES = 4;

export function slackRetries(fleet: () => Fleet): void {
  describe(`every Slack event delivered ${DELIVERIES} times, as Slack retries, across both replicas`, () => {
    it('is answered exactly once', async () => {
      const { slack } = fleet();
      await fleet().ensure();
      const replicas = [fleet().bot(0), fleet().bot(1)];
      const events = Array.from({ length: EVENTS }, () => slack.mention(REQUESTER, 'whoami'));
      // delivery n goes to replica (n + event) % 2: the original and its retries alternate between them
      const deliver = (event: Envelope, index: number, retry: number): Promise<number> => slack.deliver(replicas[(retry + index) % 2]!, event, retry);
      const retries = Array.from({ length: DELIVERIES - 1 }, (_, n) => n + 1);

      // half: all four deliveries at once, as when the first is still being handled
      const burst = events.slice(0, EVENTS / 2);
      const statuses = await Promise.all(burst.flatMap((event, index) => [0, ...retries].map((retry) => deliver(event, index, retry))));
      // half: the retries come after the answer went out, as when Slack missed the ack
      const late = events.slice(EVENTS / 2);
      statuses.push(...(await Promise.all(late.map((event, index) => deliver(event, index, 0)))));
      await waitFor(() => late.every((event) => slack.posts(event.event.ts).length > 0), 'the answers to the first deliveries');
      statuses.push(...(await Promise.all(late.flatMap((event, index) => retries.map((retry) => deliver(event, index, retry))))));
      expect(statuses).toEqual(Array.from({ length: EVENTS * DELIVERIES }, () => 200));

      await waitFor(() => events.every((event) => slack.posts(event.event.ts).length > 0), 'an answer to every event');
      await settle(1000);
      for (const event of events) expect(slack.posts(event.event.ts), `answers to ${event.event_id}`).toHaveLength(1);
      const ids = new Set(events.map((event) => event.event_id));
      const dropped = replicas.map((bot) => bot.logs.filter((line) => line.msg === 'duplicate delivery ignored' && ids.has(String(line.eventId))).length);
      expect(dropped[0]! + dropped[1]!).toBe(EVENTS * (DELIVERIES - 1));
      // both replicas saw duplicates: the dedup is across processes, not within one
      expect(dropped.every((n) => n > 0)).toBe(true);
    });
  });
}
