import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recognition, SecondOpinion } from '../../src/intents/recognize.js';
import { ROLES, type Role } from '../../src/intents/schema.js';
import { TestBot } from '../support/bot.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

/**
 * The RBAC matrix end to end. test/auth/rbac-matrix.test.ts proves the policy is the one the
 * issue states (role x action x environment, written independently of policy.csv); this proves
 * the bot enforces exactly that policy at its one choke point, for every registered action,
 * whichever way the request was recognised, and that a denied request leaves nothing behind.
 */

const store = useEmbeddedStore();
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
let bot: TestBot;
const proposals: Recognition[] = [];
const proposer: SecondOpinion = { recognize: async () => proposals.shift() ?? { failed: 'nothing queued' } };

/** One command per action; `{env}` is filled for the actions whose permission depends on it. */
const COMMANDS: Record<string, string> = {
  deploy: 'deploy payments v1.2 to {env}',
  rollback: 'rollback payments {env}',
  recover: 'restart payments in {env}',
  lock: 'lock payments {env}',
  unlock: 'unlock payments {env}',
  scaffold: 'scaffold ledger-api python-fastapi with postgres',
  status: 'status payments',
  troubleshoot: 'troubleshoot payments',
  help: 'help',
  whoami: 'whoami',
  grant: 'grant zed developer',
  revoke: 'revoke zed',
  audit: 'audit 5',
};

/** Actions no message can ask for: they are decided as approvals, by the same policy (mayDecide). */
const BUTTON_ONLY: Record<string, string> = {
  fix: 'the Apply suggested fix button under a diagnosis (test/actions/fix)',
};

beforeAll(async () => {
  bot = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix(), admins: ['console:root'], app: { secondOpinion: proposer } });
  for (const role of ROLES) if (role !== 'viewer') await bot.grant(`as-${role}`, role);
});
afterAll(async () => bot.close());

let thread = 0;
const say = (role: Role, text: string) => bot.as(role === 'viewer' ? 'nobody-granted' : `as-${role}`).say(text, { thread: `rbac-${++thread}` });

describe('every registered action', () => {
  it('has a command in this matrix (or is only ever a button)', () => {
    expect(bot.app.registry.names().filter((name) => !(name in COMMANDS) && !(name in BUTTON_ONLY))).toEqual([]);
    expect(Object.keys(COMMANDS).filter((name) => !bot.app.registry.names().includes(name))).toEqual([]);
  });

  type Case = readonly [Role, string, string | undefined];
  const cases: Case[] = ROLES.flatMap((role) =>
    Object.entries(COMMANDS).flatMap(([action, command]): Case[] =>
      command.includes('{env}') ? ENVIRONMENTS.map((env): Case => [role, action, env]) : [[role, action, undefined]],
    ),
  );

  it.each(cases)('as %s: %s in %s is refused exactly when the policy says so', async (role, action, env) => {
    const allowed = await bot.app.authorizer.can(role, action, env);
    const pendingBefore = (await bot.app.store.approvals.pendingFor('payments')).length;
    const turn = await say(role, COMMANDS[action]!.replace('{env}', env ?? ''));
    expect(turn.summary.intent).toBe(action);
    if (allowed) {
      expect(turn.summary.outcome).not.toBe('denied');
      return;
    }
    expect(turn.summary.outcome).toBe('denied');
    expect(turn.last.text).toMatch(/^Sorry, you can't /);
    expect(turn.last.buttons ?? []).toEqual([]);
    expect((await bot.app.store.approvals.pendingFor('payments')).length).toBe(pendingBefore);
  });
});

describe('a request the recogniser proposed', () => {
  it.each(ROLES)('goes through the same check (%s asks, in other words, for a prod deploy)', async (role) => {
    proposals.push({ intent: 'deploy', slots: { service: 'payments', version: 'v1.2', environment: 'prod' }, confidence: 0.99, source: 'llm' });
    const turn = await say(role, 'could you get the latest payments build out to customers');
    expect(turn.summary.recognizer).toBe('llm');
    const allowed = await bot.app.authorizer.can(role, 'deploy', 'prod');
    expect(turn.summary.outcome).toBe(allowed ? 'approval' : 'denied');
  });

  it('that would change roles at once is only asked about ("Did you mean ...?"), never run', async () => {
    proposals.push({ intent: 'grant', slots: { user: 'console:nobody-granted', role: 'admin' }, confidence: 0.99, source: 'llm' });
    const turn = await say('admin', 'make nobody-granted an admin please, thanks');
    expect(turn.summary.outcome).toBe('confirm');
    expect(await bot.app.authorizer.roleOf('console:nobody-granted')).toBe('viewer');
  });
});
