import { describe, expect, it } from 'vitest';
import { CARD_MAX_CHARS, inlineRuns, renderCard } from '../../../src/bot/teams/card.js';
import { oversizedReply, SAMPLE_REPLIES } from '../../support/replies.js';

describe('Adaptive Card renderer', () => {
  for (const [name, reply] of Object.entries(SAMPLE_REPLIES)) {
    it(`renders "${name}" as its golden file`, async () => {
      await expect(`${JSON.stringify(renderCard(reply), null, 2)}\n`).toMatchFileSnapshot(`./__golden__/${name}.json`);
    });
  }

  it('renders an approval for a channel with refresh: buttons only in the personal card', async () => {
    const shared = renderCard(SAMPLE_REPLIES.approval!, { refresh: { target: 'abc', userIds: ['29:bob', '29:alice'] } });
    const personal = renderCard(SAMPLE_REPLIES.approval!, { refresh: { target: 'abc', userIds: ['29:bob'] }, personal: true });
    await expect(`${JSON.stringify({ shared, personal }, null, 2)}\n`).toMatchFileSnapshot('./__golden__/approval-refresh.json');
    expect(shared.actions).toBeUndefined();
    expect(shared.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: 'aiops.refresh', data: { id: 'abc' } }, userIds: ['29:bob', '29:alice'] });
    expect(personal.actions).toHaveLength(2);
  });

  it('uses Action.Execute with a verb and only the id as data; a confirmation opens an inline card', () => {
    const card = renderCard(SAMPLE_REPLIES.approval!);
    expect(card.version).toBe('1.5');
    const [approve, cancel] = card.actions!;
    expect(approve).toMatchObject({ type: 'Action.ShowCard', title: 'Approve', card: { actions: [{ type: 'Action.Execute', verb: 'aiops.approve', data: { id: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f' }, style: 'positive' }] } });
    expect(cancel).toEqual({ type: 'Action.Execute', title: 'Cancel', verb: 'aiops.reject', data: { id: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f' }, style: 'destructive' });
  });

  it('shows user text literally: text runs, no markdown, no mentions, no script links', () => {
    const card = JSON.stringify(renderCard(SAMPLE_REPLIES.hostile!));
    expect(card).not.toContain('"type":"TextBlock"');
    expect(card).not.toContain('"url":"javascript');
    expect(card).toContain('not a link: javascript:alert(1)');
    expect(inlineRuns('a *b* `c` [d](e)')).toEqual([
      { type: 'TextRun', text: 'a ' },
      { type: 'TextRun', text: 'b', weight: 'Bolder' },
      { type: 'TextRun', text: ' ' },
      { type: 'TextRun', text: 'c', fontType: 'Monospace' },
      { type: 'TextRun', text: ' [d](e)' },
    ]);
  });

  it('stays under the Teams size limit for an oversized reply, keeping the buttons and the context', () => {
    const card = renderCard(oversizedReply());
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(CARD_MAX_CHARS + 2000);
    expect(card.actions).toHaveLength(2);
    expect(JSON.stringify(card.body)).toContain('more lines not shown');
    expect(JSON.stringify(card.body.at(-1))).toContain('context 14');
  });
});
