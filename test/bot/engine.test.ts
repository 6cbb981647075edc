import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { TestBot } from '../support/bot.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();
let bot: TestBot;

beforeEach(async () => {
  bot = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: new ManualClock(new Date('2026-03-02T14:00:00Z')) });
  await bot.grant('dana', 'developer');
  await bot.grant('alice', 'devops');
  await bot.grant('bob', 'devops');
});
afterEach(async () => bot.close());

describe('a deploy to prod', () => {
  it('is refused for a developer, with the reason', async () => {
    const turn = await bot.as('dana').say('deploy payments v1.2 to prod');
    expect(turn.summary.outcome).toBe('denied');
    expect(turn.last.text).toContain("you can't deploy in prod");
    expect(turn.last.text).toContain('*developer*');
    expect(turn.last.text).toContain('*devops*');
    expect(turn.last.buttons).toBeUndefined();
  });

  it('gets devops a plan with Approve and Cancel, carrying only the approval id', async () => {
    const turn = await bot.as('alice').say('deploy payments v1.2 to prod');
    expect(turn.summary.outcome).toBe('approval');
    expect(turn.last.text).toBe('*Deploy payments v1.2 to prod*');
    expect(turn.last.fields).toContainEqual({ label: 'Risk', value: 'high' });
    const approve = turn.button('Approve');
    const approval = await bot.app.store.approvals.get(approve.target);
    expect(approval?.status).toBe('pending');
    expect(approve.confirm?.title).toBeTruthy();
    expect(turn.button('Cancel').target).toBe(approve.target);
  });

  it('cannot be approved by the requester (four-eyes)', async () => {
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    const click = await bot.as('alice').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('refused');
    expect(click.last.text).toContain('Four-eyes');
    expect((await bot.app.store.approvals.get(request.button('Approve').target))?.status).toBe('pending');
  });

  it('cannot be approved by a developer', async () => {
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toContain('needs the devops role');
  });

  it('runs once when another devops approves, and the buttons become the outcome', async () => {
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    const click = await bot.as('bob').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');
    expect(click.last.text).toContain('Dry-run');
    expect(click.last.sections?.[0]?.lines.join('\n')).toContain('"AIOPS_APPROVED_BY","value":"bob"');
    const original = request.posted[0]!;
    expect(original.current.buttons).toBeUndefined();
    expect(original.current.context?.at(-1)).toBe('Approved by bob at 14:00 UTC');
    const again = await bot.as('bob').click(request.button('Approve'));
    expect(again.last.text).toContain('Already approved by bob');
    expect((await bot.app.store.approvals.get(request.button('Approve').target))?.status).toBe('executed');
  });

  it('executes once when two approvers click at the same moment', async () => {
    await bot.grant('carol', 'devops');
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    const approve = request.button('Approve');
    const clicks = await Promise.all([bot.as('bob').click(approve), bot.as('carol').click(approve), bot.as('bob').click(approve)]);
    expect(clicks.filter((click) => click.summary.outcome === 'executed')).toHaveLength(1);
    const entries = await bot.app.store.audit.recent(50);
    expect(entries.filter((entry) => entry.event === 'executed' && entry.approvalId === approve.target)).toHaveLength(1);
  });

  it('is refused once the approval has expired', async () => {
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    bot.clock.advance(31 * 60_000);
    const click = await bot.as('bob').click(request.button('Approve'));
    expect(click.last.text).toContain('expired');
    expect((await bot.app.store.approvals.get(request.button('Approve').target))?.status).toBe('expired');
    expect(request.posted[0]!.current.context?.at(-1)).toContain('Expired');
  });

  it('can be cancelled by the requester', async () => {
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    await bot.as('alice').click(request.button('Cancel'));
    expect(request.posted[0]!.current.context?.at(-1)).toBe('Cancelled by alice at 14:00 UTC');
    const late = await bot.as('bob').click(request.button('Approve'));
    expect(late.last.text).toContain('Already cancelled by alice');
  });
});

describe('deploys to dev', () => {
  it('are confirmed by the requester themselves', async () => {
    const request = await bot.as('dana').say('deploy payments v1.2 to dev');
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');
  });
});

describe('duplicate delivery', () => {
  it('ignores an event id seen before', async () => {
    const first = await bot.as('alice').say('status payments', { eventId: 'Ev1' });
    const second = await bot.as('alice').say('status payments', { eventId: 'Ev1' });
    expect(first.posted).toHaveLength(1);
    expect(second.summary.outcome).toBe('duplicate');
    expect(second.posted).toHaveLength(0);
  });

  it('answers once when the same event arrives concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => bot.as('alice').say('status orders', { eventId: 'Ev2' })));
    expect(results.flatMap((result) => result.posted)).toHaveLength(1);
  });
});

describe('slot filling', () => {
  it('asks one question and fills the answer from the next message in the thread', async () => {
    const ask = await bot.as('alice').say('deploy payments v1.2');
    expect(ask.summary.outcome).toBe('clarify');
    expect(ask.last.text).toBe('Which environment should I deploy to: dev, staging or prod?');
    const answer = await bot.as('alice').say('staging');
    expect(answer.last.text).toBe('*Deploy payments v1.2 to staging*');
  });

  it('reuses the thread\'s last request for a follow-up', async () => {
    await bot.as('alice').say('deploy payments v1.2 to staging');
    const followUp = await bot.as('alice').say('now prod');
    expect(followUp.last.text).toBe('*Deploy payments v1.2 to prod*');
    const otherService = await bot.as('alice').say('same for orders');
    expect(otherService.last.text).toBe('*Deploy orders main to prod*');
  });

  it('keeps threads apart', async () => {
    await bot.as('alice').say('deploy payments v1.2', { thread: 'a' });
    const other = await bot.as('alice').say('staging', { thread: 'b' });
    expect(other.last.text).toContain("didn't understand");
  });

  it('names an unknown service and suggests a close one', async () => {
    const turn = await bot.as('alice').say('deploy paymnets v1 to prod');
    expect(turn.last.text).toContain('*paymnets*');
    expect(turn.last.text).toContain('*payments*');
  });
});

describe('locks', () => {
  it('block deploys by anyone but the locker, naming who and why', async () => {
    await bot.as('root').say('lock payments prod: quarter-end close');
    const blocked = await bot.as('alice').say('deploy payments v1.2 to prod');
    expect(blocked.last.text).toContain('locked by root');
    expect(blocked.last.text).toContain('quarter-end close');
    const locker = await bot.as('root').say('deploy payments v1.2 to prod');
    expect(locker.summary.outcome).toBe('approval');
    await bot.as('root').say('unlock payments prod');
    expect((await bot.as('alice').say('deploy payments v1.2 to prod')).summary.outcome).toBe('approval');
  });
});

describe('the audit trail', () => {
  it('lists request, approval and execution under the request\'s correlation id', async () => {
    await bot.as('dana').say('deploy payments v1.2 to prod');
    const request = await bot.as('alice').say('deploy payments v1.2 to prod');
    await bot.as('bob').click(request.button('Approve'));
    const audit = await bot.as('root').say('audit 10');
    const lines = audit.last.sections?.[0]?.lines ?? [];
    const ref = /ref (c-[0-9a-z]+)/.exec(request.last.context?.[0] ?? '')?.[1];
    expect(ref).toBeDefined();
    const chain = lines.filter((line) => line.includes(`[${ref}]`));
    expect(chain.map((line) => line.split(' ')[3])).toEqual(['executed', 'approval.approved', 'approval.requested', 'request']);
    expect(lines.some((line) => line.includes('dana denied deploy'))).toBe(true);
    const byActor = await bot.app.store.audit.byActor('console:bob', 10);
    expect(byActor.map((entry) => entry.event)).toEqual(['executed', 'approval.approved']);
  });
});
