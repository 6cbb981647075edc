import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { SlackHarness, slackFixtureText } from '../support/slack.js';
import { mention } from '../support/slack-payloads.js';
import { TeamsHarness } from '../support/teams.js';
import { waitFor } from '../support/wait.js';
import { expectSlackSafe, expectTeamsSafe, HOSTILE, mrkdwnTexts } from './support/markup.js';

/**
 * The names only the adapters know (Slack's display name from users.info, Teams' from.name) and
 * the adapters' own echoes (the /aiops ack and its "Working on" root), over HTTP, as posted to
 * the platform: Block Kit to the Slack Web API, Adaptive Cards to the Bot Connector.
 */

const store = useEmbeddedStore();
const clock = () => new ManualClock(new Date('2026-03-02T14:02:00Z'));

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

describe('Slack', () => {
  let harness: SlackHarness;
  afterEach(async () => harness.close());

  it('shows a hostile display name and /aiops text literally, everywhere it posts them', async () => {
    harness = await SlackHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: clock() });
    harness.slack.displayNames.set('UEVIL', HOSTILE);
    await harness.bot.grant('slack:UEVIL', 'devops');

    const request = mention('deploy payments v1.2 to prod', 'UEVIL');
    await harness.event(request);
    const form = new URLSearchParams(slackFixtureText('slash_command_body_bolt_python_test.txt'));
    form.set('command', '/aiops');
    form.set('text', `status ${HOSTILE}`);
    form.set('user_id', 'UEVIL');
    form.set('channel_id', 'C0OPS');
    form.set('response_url', harness.slack.responseUrl());
    const ack = await harness.command(form.toString());
    expect(ack.status).toBe(200);
    expectSlackSafe(JSON.parse(ack.text) as { text: string }, '/aiops ack');

    await harness.slack.waitForCalls('chat.update', 1, "the /aiops answer replacing its 'Working on' root");
    await waitFor(() => harness.slack.of('chat.postMessage').find((call) => call.args.thread_ts === request.event.ts), 'the approval request');
    const calls = [...harness.slack.of('chat.postMessage'), ...harness.slack.of('chat.update')];
    for (const call of calls) expectSlackSafe(call.args, call.method);
    const shown = calls.flatMap((call) => mrkdwnTexts(call.args)).join('\n');
    expect(shown).toContain('Requested by &lt;!channel&gt; &lt;!here&gt;');
    expect(shown).toContain('for &lt;!channel&gt;');
  });
});

describe('Teams', () => {
  let harness: TeamsHarness;
  afterEach(async () => harness.close());

  it('shows a hostile from.name literally in the cards it sends', async () => {
    harness = await TeamsHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: clock() });
    const evil = { id: '29:evil-mri', name: HOSTILE, aadObjectId: 'e1' };
    await harness.bot.grant(`teams:${evil.id}`, 'devops');
    expect((await harness.send(harness.activity('message_personal.json', { from: evil, text: 'deploy payments v1.2 to prod' }))).status).toBe(200);
    expect((await harness.send(harness.activity('message_personal.json', { from: evil, text: 'whoami' }))).status).toBe(200);

    const sends = await harness.connector.waitFor('send', 2);
    for (const call of sends) {
      expectTeamsSafe(call.activity, 'Bot Connector send');
      // no mention entity: `<at>` in the text stays text (the summary is plain text in notifications)
      expect(call.activity.entities ?? []).toEqual([]);
    }
    const shown = JSON.stringify(sends.map((call) => call.activity));
    expect(shown).toContain('Requested by <!channel> <!here>');
    expect(shown).toContain('<at>Admin</at>');
  });
});
