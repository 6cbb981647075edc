import { describe, expect, it } from 'vitest';
import { classifyMessage, readDecision } from '../../../src/bot/slack/incoming.js';
import { incomingText } from '../../../src/bot/slack/mrkdwn.js';
import { slackFixture } from '../../support/slack.js';

const event = (name: string): Record<string, unknown> => slackFixture<{ event: Record<string, unknown> }>(name).event;

describe('which Slack events are turns', () => {
  it('takes a mention in a channel, threaded under the message', () => {
    expect(classifyMessage(event('events_app_mention.json'), 'U0LAN0Z89')).toEqual({
      kind: 'turn',
      addressed: true,
      userId: 'U061F7AUR',
      text: 'is it everything a river should be?',
      conversation: { channel: 'C123ABC456', thread: '1515449522.000016' },
      ts: '1515449522.000016',
    });
  });

  it('takes a DM, and a reply in a DM thread, as addressed', () => {
    expect(classifyMessage(event('events_message_im.json'), 'UBOT')).toMatchObject({ kind: 'turn', conversation: { channel: 'D024BE91L', thread: 'D024BE91L' } });
    expect(classifyMessage(event('events_message_dm_thread_reply.json'), 'UBOT')).toMatchObject({ kind: 'turn', conversation: { channel: 'D111', thread: '1726133698.626339' } });
  });

  it('leaves channel messages alone unless they are thread replies', () => {
    expect(classifyMessage(event('events_message_user_channel.json'), 'UBOT')).toMatchObject({ kind: 'ignore' });
    expect(classifyMessage({ ...event('events_message_user_channel.json'), thread_ts: '1610261000.000100' }, 'UBOT')).toMatchObject({ kind: 'thread-reply' });
  });

  it('leaves a channel message with our mention to app_mention', () => {
    expect(classifyMessage({ ...event('events_message_user_channel.json'), text: '<@UBOT> status' }, 'UBOT')).toEqual({ kind: 'ignore', reason: 'a mention: answered through app_mention' });
  });

  it('ignores bots, edits, thread bookkeeping and itself', () => {
    for (const name of ['events_message_from_bot_bot_profile.json', 'events_message_bot_message_subtype.json', 'events_message_changed.json', 'events_message_replied.json']) {
      expect(classifyMessage(event(name), 'UBOT').kind).toBe('ignore');
    }
    expect(classifyMessage({ ...event('events_message_im.json'), user: 'UBOT' }, 'UBOT')).toEqual({ kind: 'ignore', reason: 'posted by aiops itself' });
  });
});

describe('incoming text', () => {
  it('drops our mention, decodes entities and unwraps links, keeping other mentions', () => {
    expect(incomingText('<@UBOT|aiops> grant <@U123> devops &amp; deploy &lt;x&gt; <https://a.example/x|a.example/x>', 'UBOT')).toBe('grant <@U123> devops & deploy <x> a.example/x');
  });
});

describe('button clicks', () => {
  const click = slackFixture<Record<string, unknown>>('interactivity_block_actions_button_in_message.json');

  it('ignores buttons that are not ours', () => {
    expect(readDecision(click)).toBeUndefined();
  });

  it('reads our button: the approval id and the choice, nothing else', () => {
    const ours = { ...click, actions: [{ action_id: 'aiops_approve', block_id: 'aiops_decision', value: 'abc-123', type: 'button', action_ts: '1' }] };
    expect(readDecision(ours)).toEqual({
      userId: 'U111',
      userName: undefined,
      target: 'abc-123',
      choice: 'approve',
      conversation: { channel: 'C111', thread: '1678252213.679169' },
      messageTs: '1678252213.679169',
      deliveryId: '4916855695380.xxx.yyy',
    });
    expect(readDecision({ ...ours, actions: [{ action_id: 'aiops_approve', value: '<!channel> x' }] })).toBeUndefined();
  });
});
