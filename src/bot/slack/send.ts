import { webApi } from '@slack/bolt';
import { withRateLimitRetry, type RateLimitPolicy } from '../outbox.js';
import type { Reply } from '../reply.js';
import type { MessageRef } from '../turn.js';
import { renderBlocks } from './blocks.js';

/** Slack says "rate limited" with a WebAPIRateLimitedError carrying Retry-After in seconds. */
export function slackRetryAfterMs(error: unknown): number | undefined {
  if (error instanceof Error && (error as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError) {
    const seconds = (error as { retryAfter?: unknown }).retryAfter;
    return typeof seconds === 'number' ? seconds * 1000 : 1000;
  }
  return undefined;
}

export const slackRateLimits: RateLimitPolicy = { retryAfterMs: slackRetryAfterMs };

/** A DM channel id starts with D; there the conversation itself is the thread. */
export const isDirectMessage = (channel: string): boolean => channel.startsWith('D');

/**
 * The two Web API calls aiops makes to speak: post (in a thread when there is one) and edit.
 * Link and media unfurls are off: a plan that names a URL should not grow a preview.
 */
export class SlackSender {
  constructor(
    readonly client: webApi.WebClient,
    private readonly policy: RateLimitPolicy = slackRateLimits,
  ) {}

  async post(channel: string, thread: string | undefined, reply: Reply): Promise<MessageRef> {
    const message = renderBlocks(reply);
    const threadTs = thread && thread !== channel ? thread : undefined;
    const result = await withRateLimitRetry(
      () => this.client.chat.postMessage({ channel, ...message, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false, unfurl_media: false }),
      this.policy,
    );
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return { platform: 'slack', channel: result.channel ?? channel, id: result.ts, ...(threadTs ? { thread: threadTs } : {}) };
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    const message = renderBlocks(reply);
    await withRateLimitRetry(() => this.client.chat.update({ channel: ref.channel, ts: ref.id, ...message }), this.policy);
  }
}
