import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotProcess } from './bot-process.js';
import { FakeGitLab, GITLAB_TOKEN } from './fake-gitlab.js';
import { SharedStore } from './shared-store.js';
import { BOT_TOKEN, SIGNING_SECRET, Workspace } from './workspace.js';

export const TABLE_PREFIX = 'rel_';
export const ADMIN = 'UADMIN';
const CATALOG = fileURLToPath(new URL('../../fixtures/catalog-prod-only.yaml', import.meta.url));

/** Short enough that a dead replica's deployment is picked up within seconds; production is minutes. */
export const TRACKER = { leaseSeconds: 3, pollSeconds: 1, sweepSeconds: 1 };

/**
 * Two aiops processes behind one Slack app, sharing one store, one GitLab and nothing else:
 * what a platform team runs with two replicas. The store, Slack's Web API and GitLab all live in
 * the test process, so they outlive any bot.
 */
export class Fleet {
  readonly bots: BotProcess[] = [];
  private spawned = 0;

  private constructor(
    readonly store: SharedStore,
    readonly slack: Workspace,
    readonly gitlab: FakeGitLab,
    private readonly dataDir: string,
  ) {}

  static async start(replicas = 2): Promise<Fleet> {
    const [store, slack, gitlab] = await Promise.all([SharedStore.start(TABLE_PREFIX), Workspace.start(), FakeGitLab.start()]);
    const fleet = new Fleet(store, slack, gitlab, mkdtempSync(join(tmpdir(), 'aiops-reliability-data-')));
    try {
      await fleet.ensure(replicas);
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  bot(index: number): BotProcess {
    const bot = this.bots[index];
    if (!bot) throw new Error(`no bot ${index}`);
    return bot;
  }

  /** The store running and `replicas` live bots: dead ones are replaced by new processes. */
  async ensure(replicas = 2): Promise<void> {
    await this.store.restart();
    await Promise.all(
      Array.from({ length: replicas }, async (_, index) => {
        if (this.bots[index]?.alive) return;
        this.spawned += 1;
        this.bots[index] = await BotProcess.start(`bot-${this.spawned}`, this.env());
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.bots.map((bot) => bot.kill()));
    await Promise.all([this.slack.close(), this.gitlab.close(), this.store.close()]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Only what a deployment would set: no inherited AWS_*, SLACK_* or proxy variables. */
  private env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      PORT: '0',
      AIOPS_LOG_LEVEL: 'info',
      AIOPS_DATA_DIR: this.dataDir,
      AIOPS_CATALOG: CATALOG,
      AIOPS_ADMINS: `slack:${ADMIN}`,
      AIOPS_TABLE_PREFIX: TABLE_PREFIX,
      AWS_ENDPOINT_URL_DYNAMODB: this.store.endpoint,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.slack.api.apiUrl,
      GITLAB_URL: this.gitlab.url,
      GITLAB_TOKEN,
      AIOPS_DRY_RUN: 'false',
      AIOPS_TRACKER_LEASE_SECONDS: String(TRACKER.leaseSeconds),
      AIOPS_TRACKER_POLL_SECONDS: String(TRACKER.pollSeconds),
      AIOPS_TRACKER_SWEEP_SECONDS: String(TRACKER.sweepSeconds),
    };
  }
}
