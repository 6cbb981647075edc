import { describe, expect, it } from 'vitest';
import { renderBlocks, SLACK_LIMITS } from '../../../src/bot/slack/blocks.js';
import { oversizedReply, SAMPLE_REPLIES } from '../../support/replies.js';

describe('Block Kit renderer', () => {
  for (const [name, reply] of Object.entries(SAMPLE_REPLIES)) {
    it(`renders "${name}" as its golden file`, async () => {
      await expect(`${JSON.stringify(renderBlocks(reply), null, 2)}\n`).toMatchFileSnapshot(`./__golden__/${name}.json`);
    });
  }

  it('escapes every user-supplied string: no mention, broadcast or link can be smuggled in', () => {
    const rendered = JSON.stringify(renderBlocks(SAMPLE_REPLIES.hostile!));
    for (const smuggled of ['<!channel>', '<!here>', '<!everyone>', '<@U0ADMIN', '<https://evil', '<#C123', 'javascript:alert(1)>', '<script>']) {
      expect(rendered).not.toContain(smuggled);
    }
    expect(rendered).toContain('&lt;!channel&gt; &amp; &lt;!here&gt;');
    expect(rendered).toContain('<https://example.com/?a=1&amp;b=2|a¦pipe>');
    expect(rendered).toContain('angle: https://example.com/&lt;x&gt;');
  });

  it('carries only the approval id in the buttons, with a confirmation dialog where asked', () => {
    const { blocks } = renderBlocks(SAMPLE_REPLIES.approval!);
    const actions = blocks.find((block) => block.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: 'aiops_approve', value: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f', style: 'primary', confirm: { title: { text: 'Approve this change?' } } },
        { action_id: 'aiops_reject', value: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f', style: 'danger' },
      ],
    });
    expect(JSON.stringify(renderBlocks(SAMPLE_REPLIES.settled!).blocks)).not.toContain('"actions"');
  });

  it('stays within Slack limits for an oversized reply, keeping the buttons and the context', () => {
    const { text, blocks } = renderBlocks(oversizedReply());
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const block of blocks) {
      if (block.type === 'section') {
        if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
        for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
      if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    }
    expect(blocks.at(-2)?.type).toBe('actions');
    expect(blocks.at(-1)?.type).toBe('context');
    expect(JSON.stringify(blocks)).toContain('not shown (Slack allows 50 blocks)');
  });
});
