import { CardFactory, type Activity, type CloudAdapter } from 'botbuilder';
import type { AdaptiveCard } from './card.js';
import type { Reference } from './references.js';

/** What Teams shows in notifications and the chat list for a card: the reply's text, without formatting. */
export const summaryOf = (text: string): string => text.replace(/[*`]/g, '').split('\n')[0]!.slice(0, 200);

const cardActivity = (card: AdaptiveCard, summary: string): Partial<Activity> => ({
  type: 'message',
  summary,
  attachments: [CardFactory.adaptiveCard(card)],
});

/**
 * Every send goes through continueConversation with a stored or captured reference, so a turn
 * can keep posting after its HTTP request has been answered (Teams is acked first, like Slack).
 */
export class TeamsSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: Reference, card: AdaptiveCard, summary: string): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      id = (await context.sendActivity(cardActivity(card, summary)))?.id;
    });
    return id;
  }

  async update(reference: Reference, activityId: string, card: AdaptiveCard, summary: string): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await context.updateActivity({ ...cardActivity(card, summary), id: activityId });
    });
  }
}
