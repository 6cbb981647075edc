import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.js';

const userInfo = z.object({
  user: z
    .object({
      name: z.string().optional(),
      real_name: z.string().optional(),
      profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).partial().optional(),
    })
    .optional(),
});

interface Entry {
  name: Promise<string>;
  expiresAt: number;
}

/**
 * Display names from `users.info`, cached (an hour, a few thousand people), so a busy channel
 * costs one lookup per person rather than one per message. A failed lookup falls back to what
 * the payload said, or the id, and is retried after a minute.
 */
export class SlackUsers {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  name(userId: string, fallback?: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.name;
    const entry: Entry = { name: this.lookup(userId, fallback, now), expiresAt: now + (this.options.ttlMs ?? 3_600_000) };
    this.remember(userId, entry);
    return entry.name;
  }

  private async lookup(userId: string, fallback: string | undefined, now: number): Promise<string> {
    try {
      const parsed = userInfo.parse(await this.client.users.info({ user: userId }));
      const user = parsed.user;
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      return name || fallback || userId;
    } catch (error) {
      this.log.warn({ err: error, userId }, 'users.info failed; using the id as the name (is the users:read scope granted?)');
      this.cache.set(userId, { name: Promise.resolve(fallback || userId), expiresAt: now + 60_000 });
      return fallback || userId;
    }
  }

  private remember(userId: string, entry: Entry): void {
    if (this.cache.size >= (this.options.maxEntries ?? 5000)) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(userId, entry);
  }
}
