import { describe, expect, it } from 'vitest';
import { DEFAULT_CIRCUIT, DEFAULT_POLICY } from '../../../src/integrations/gitlab.js';
import { settle } from '../../support/wait.js';
import type { Fleet } from '../support/fleet.js';
import { REQUESTER } from '../support/people.js';
import { shown } from '../support/workspace.js';

const PROJECT = 'acme/checkout';

export function gitlabStorm(fleet: () => Fleet): void {
  describe('a GitLab 5xx storm', () => {
    it('is retried a bounded number of times, then the circuit opens and the user is told GitLab is failing', async () => {
      const { slack, gitlab } = fleet();
      await fleet().ensure();
      // the circuit is per process, on purpose: one replica's view of GitLab is what this is about
      const bot = fleet().bot(0);
      gitlab.storm = true;
      const ask = async (): Promise<string> => {
        const asked = await slack.say(bot, REQUESTER, 'deploy checkout v3.0 to prod');
        return shown(await slack.waitForPost(asked.event.ts, /GitLab/, 'an answer about GitLab', 30_000));
      };
      // the defaults this reads: one request's attempts do not open the circuit, the next request's first does
      expect(DEFAULT_CIRCUIT.failureThreshold).toBe(DEFAULT_POLICY.maxAttempts + 1);
      try {
        // each attempt is a failure to the circuit; the first request spends every attempt it has
        expect(await ask()).toMatch(new RegExp(`GitLab answered 50\\d for ${PROJECT}: GitLab is having trouble \\(${DEFAULT_POLICY.maxAttempts} attempts\\)`));
        expect(gitlab.of(PROJECT)).toHaveLength(DEFAULT_POLICY.maxAttempts);

        // the next one trips the circuit on its first failure, and stops retrying there
        const second = await ask();
        const sent = DEFAULT_CIRCUIT.failureThreshold;
        expect(second).toMatch(new RegExp(`GitLab answered 50\\d for ${PROJECT}: GitLab is having trouble \\(1 attempt\\)`));
        expect(gitlab.of(PROJECT)).toHaveLength(sent);

        // open: nothing more reaches GitLab, and the answer says so
        const third = await ask();
        expect(third).toMatch(/GitLab has been failing \(50\d answers\), so I am not calling it for the next \d+ s\./);
        expect(third).toContain('Nothing was sent to GitLab.');
        await settle(300);
        expect(gitlab.of(PROJECT)).toHaveLength(sent);
        expect(gitlab.created(PROJECT)).toHaveLength(0);
        expect(bot.alive).toBe(true);
      } finally {
        gitlab.storm = false;
      }
    });
  });
}
