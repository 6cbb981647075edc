import type { Authorizer } from '../../auth/authorizer.js';
import { mayDecide } from '../../auth/decider.js';
import type { Logger } from '../../log.js';
import type { Approval } from '../../sessions/approvals.js';
import type { Store } from '../../sessions/store.js';
import { hhmm } from '../approval-request.js';
import { settled, type Reply } from '../reply.js';
import { userKey } from '../turn.js';
import { CARD_CONTENT_TYPE, REFRESH_MAX_USERS, renderCard, type AdaptiveCard } from './card.js';

export type InvokeBody =
  | { statusCode: 200; type: typeof CARD_CONTENT_TYPE; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

export const cardBody = (card: AdaptiveCard): InvokeBody => ({ statusCode: 200, type: CARD_CONTENT_TYPE, value: card });
export const messageBody = (text: string): InvokeBody => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });

export interface ApprovalCardsDeps {
  store: Store;
  authorizer: Authorizer;
  /** AIOPS_ADMINS: admins whatever the roles table says */
  admins: readonly string[];
  log: Logger;
}

/**
 * Approval cards in Teams use Universal Actions refresh so that only the people who may decide
 * see the buttons: the shared card lists them in refresh.userIds and has no buttons; Teams asks
 * the bot for a personal card for each of them. The engine still checks every click.
 */
export class ApprovalCards {
  constructor(private readonly deps: ApprovalCardsDeps) {}

  /** The card everyone in the conversation sees. Personal chats, and approvals nobody could decide, keep the buttons on it. */
  async shared(reply: Reply, conversationType: string | undefined): Promise<AdaptiveCard> {
    const target = reply.buttons?.[0]?.target;
    if (!target || conversationType === 'personal') return renderCard(reply);
    const approval = await this.deps.store.approvals.get(target);
    if (!approval) return renderCard(reply);
    const userIds = await this.decidersOf(approval);
    return userIds.length > 0 ? renderCard(reply, { refresh: { target, userIds } }) : renderCard(reply);
  }

  /** The answer to a refresh: this person's buttons while the request is pending, else the outcome. */
  async personal(target: string, teamsUserId: string, channel: string): Promise<InvokeBody> {
    const approval = await this.deps.store.approvals.get(target);
    // a refresh names an approval of the conversation it comes from, or gets nothing back
    if (!approval || approval.conversation.platform !== 'teams' || approval.conversation.channel !== channel) return messageBody('This request no longer exists.');
    const expired = approval.expiresAt <= this.deps.store.clock.now().toISOString();
    if (approval.status !== 'pending' || expired) return cardBody(renderCard(outcomeView(approval, expired)));
    const key = userKey('teams', teamsUserId);
    const role = await this.deps.authorizer.roleOf(key);
    const buttons = [];
    for (const button of approval.reply.buttons ?? []) {
      if ((await mayDecide(this.deps.authorizer, decisionRequest(approval), { key, role }, button.choice)).ok) buttons.push(button);
    }
    return cardBody(renderCard({ ...approval.reply, buttons }, { refresh: { target, userIds: [teamsUserId] }, personal: true }));
  }

  /** Teams users who may approve or cancel: everyone with a stored role, the bootstrap admins, the requester. */
  private async decidersOf(approval: Approval): Promise<string[]> {
    const candidates = new Set<string>([...this.deps.admins, approval.requester.key]);
    try {
      for (const record of await this.deps.store.roles.list()) candidates.add(record.user);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not list roles; the approval card keeps its buttons for everyone');
      return [];
    }
    const ids: string[] = [];
    for (const key of candidates) {
      if (!key.startsWith('teams:') || ids.length >= REFRESH_MAX_USERS) continue;
      const role = await this.deps.authorizer.roleOf(key);
      const request = decisionRequest(approval);
      const may = (await mayDecide(this.deps.authorizer, request, { key, role }, 'approve')).ok || (await mayDecide(this.deps.authorizer, request, { key, role }, 'reject')).ok;
      if (may) ids.push(key.slice('teams:'.length));
    }
    return ids;
  }
}

const decisionRequest = (approval: Approval) => ({
  action: approval.action,
  environment: approval.environment,
  policy: approval.policy,
  requester: approval.requester.key,
});

/** A settled approval as the engine leaves it after a decision: the plan, without buttons, with its outcome. */
export function outcomeView(approval: Approval, expired = false): Reply {
  const by = approval.decidedBy?.name ?? 'someone';
  const at = hhmm(approval.decidedAt ?? approval.finishedAt ?? approval.expiresAt);
  switch (expired && approval.status === 'pending' ? 'expired' : approval.status) {
    case 'approved':
    case 'executed':
    case 'failed':
      return settled(approval.reply, `Approved by ${by} at ${at}`, 'success');
    case 'rejected':
      return settled(approval.reply, `Cancelled by ${by} at ${at}`, 'info');
    default:
      return settled(approval.reply, `Expired at ${hhmm(approval.expiresAt)}`, 'warning');
  }
}
