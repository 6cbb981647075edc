import { describe, expect, it } from 'vitest';
import { settle, waitFor } from '../../support/wait.js';
import type { Fleet } from '../support/fleet.js';
import { APPROVERS, REQUESTER, VIEWER } from '../support/people.js';
import { buttonOf, shown } from '../support/workspace.js';

const CLICKS = 50;
/** who clicks Approve, in turn: four approvers racing, the requester (four-eyes) and a viewer */
const CLICKERS = [...APPROVERS, REQUESTER, VIEWER];
const PROJECT = 'acme/payments';

const count = (values: string[], pattern: RegExp): number => values.filter((value) => pattern.test(value)).length;

export function approvalRace(fleet: () => Fleet): void {
  describe(`${CLICKS} concurrent approval clicks spread over both replicas`, () => {
    it('run the deploy exactly once; every other click is told why not', async () => {
      const { slack, gitlab, store } = fleet();
      await fleet().ensure();
      const replicas = [fleet().bot(0), fleet().bot(1)];
      const asked = await slack.say(replicas[0]!, REQUESTER, 'deploy payments v1.2 to prod');
      const thread = asked.event.ts;
      const request = await slack.waitForPost(thread, /aiops_approve/, 'the approval request');
      const approvalId = buttonOf(request, 'Approve').value;

      const clickers = Array.from({ length: CLICKS }, (_, index) => CLICKERS[index % CLICKERS.length]!);
      const statuses = await Promise.all(clickers.map((user, index) => slack.click(replicas[index % 2]!, request, 'Approve', user)));
      expect(statuses).toEqual(clickers.map(() => 200));

      const approverClicks = clickers.filter((user) => (APPROVERS as readonly string[]).includes(user)).length;
      const texts = (): string[] => slack.posts(thread).map(shown);
      const answered = (): number => count(texts(), /Already approved|Four-eyes|needs the devops role/);
      await waitFor(() => answered() >= CLICKS - 1 && count(texts(), /Started pipeline/) >= 1, `answers to all ${CLICKS} clicks`, 30_000);
      await settle(500);

      expect(gitlab.created(PROJECT)).toHaveLength(1);
      expect(count(texts(), /Started pipeline/)).toBe(1);
      // one answer per losing click: which one depends on whether it was read before or after the win
      const already = count(texts(), /Already approved by \w+; it ran once and will not run again/);
      const fourEyes = count(texts(), /Four-eyes rule/);
      const notApprover = count(texts(), /needs the devops role; you are viewer/);
      expect(already + fourEyes + notApprover).toBe(CLICKS - 1);
      expect(fourEyes).toBeLessThanOrEqual(clickers.filter((user) => user === REQUESTER).length);
      expect(notApprover).toBeLessThanOrEqual(clickers.filter((user) => user === VIEWER).length);
      expect(already).toBeGreaterThanOrEqual(approverClicks - 1);
      const approvedEdits = slack.updates(thread).filter((call) => /Approved by/.test(shown(call)));
      expect(approvedEdits).toHaveLength(1);

      const audit = (await store.records.audit.recent(500)).filter((entry) => entry.approvalId === approvalId);
      expect(audit.filter((entry) => entry.event === 'approval.approved')).toHaveLength(1);
      expect(audit.filter((entry) => entry.event === 'executed')).toHaveLength(1);
      expect(audit.filter((entry) => entry.event === 'approval.refused')).toHaveLength(fourEyes + notApprover);
      expect((await store.records.approvals.get(approvalId))?.status).toBe('executed');

      // let the pipeline finish, so the deployment ends here and no later scenario sees it running
      const [pipelineId] = await gitlab.waitForCreated(PROJECT);
      gitlab.finish(pipelineId!, 'success');
      await slack.waitForPost(thread, /succeeded/, 'the outcome');
    });
  });
}
