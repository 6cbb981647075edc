import { describe, expect, it } from 'vitest';
import { settle, waitFor } from '../../support/wait.js';
import type { Fleet } from '../support/fleet.js';
import { APPROVERS, REQUESTER } from '../support/people.js';
import { shown } from '../support/workspace.js';

const PROJECT = 'acme/orders';

export function failover(fleet: () => Fleet): void {
  describe('kill -9 of the replica tracking a deployment', () => {
    it('the other replica resumes tracking and reports the outcome in the thread', async () => {
      const { slack, gitlab, store } = fleet();
      await fleet().ensure();
      const [tracking, survivor] = [fleet().bot(0), fleet().bot(1)];
      const asked = await slack.say(tracking, REQUESTER, 'deploy orders v2.0 to prod');
      const thread = asked.event.ts;
      const request = await slack.waitForPost(thread, /aiops_approve/, 'the approval request');
      expect(await slack.click(tracking, request, 'Approve', APPROVERS[0])).toBe(200);

      const [pipelineId] = await gitlab.waitForCreated(PROJECT);
      const started = await tracking.waitForLog('pipeline triggered', (line) => line.pipeline === pipelineId);
      const deploymentId = String(started.deployment);
      const status = await slack.waitForPost(thread, /: \w+ \(pipeline #\d+, since/, 'the status message');
      // it is watching: it has polled the running pipeline at least once
      await waitFor(() => gitlab.polls(PROJECT, pipelineId!) >= 1, 'a first poll of the pipeline');

      await tracking.kill();
      expect(tracking.exit?.signal).toBe('SIGKILL');
      const resumed = await survivor.waitForLog('resuming tracking', (line) => line.deployment === deploymentId);
      expect(resumed.pipeline).toBe(pipelineId);
      gitlab.finish(pipelineId!, 'success');

      const outcome = await slack.waitForPost(thread, /succeeded/, 'the outcome');
      expect(shown(outcome)).toContain('Deploy orders v2.0 to prod');
      expect(shown(outcome)).toContain(`pipeline #${pipelineId}`);
      const edited = await slack.waitForUpdate(thread, /succeeded/, 'the status message edited to the outcome');
      expect(edited.args.ts).toBe(status.response?.ts);
      await survivor.waitForLog('deployment finished', (line) => line.deployment === deploymentId);
      await settle(500);
      expect(slack.posts(thread).filter((call) => /succeeded/.test(shown(call)))).toHaveLength(1);
      const deployment = await store.records.deployments.get(deploymentId);
      expect(deployment).toMatchObject({ outcome: 'success', pipelineId });
      expect(deployment?.tracking).toBeUndefined();
      expect(gitlab.created(PROJECT)).toHaveLength(1);
    });
  });
}
