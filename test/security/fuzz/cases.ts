import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { SIGNING_SECRET, slackFixture, slackFixtureText } from '../../support/slack.js';
import { alarmMessage, awsFixture, type SnsSigner } from '../../support/sns.js';
import { teamsFixture } from '../../support/teams.js';
import { contentType, mutateForm, mutateJson, type Mutant, Random } from './mutate.js';

/** One request of the fuzz run and the statuses its endpoint may answer it with. */
export interface FuzzCase {
  family: string;
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  allowed: number[];
}

type Json = Parameters<typeof mutateJson>[0];

const SLACK_EVENTS = [
  'events_app_mention.json',
  'events_app_mention_socket_mode_body.json',
  'events_message_bot_message_subtype.json',
  'events_message_changed.json',
  'events_message_dm_thread_reply.json',
  'events_message_from_bot_bot_profile.json',
  'events_message_im.json',
  'events_message_replied.json',
  'events_message_user_channel.json',
  'events_url_verification.json',
];
/** Slack: acked (200), malformed (400), not signed by Slack (401), too large (413). */
const SLACK_ALLOWED = [200, 400, 401, 413];

/** Slack's v0 signature over the exact bytes (invalid UTF-8 included), as Slack computes it. */
function signBytes(body: Buffer, secret: string, at: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${at}:`).update(body).digest('hex');
  return { 'x-slack-request-timestamp': String(at), 'x-slack-signature': `v0=${signature}` };
}

/** Signs like Slack, or (one time in seven) not: another secret, an old timestamp, a malformed or missing header. */
function slackHeaders(body: Buffer, type: string, random: Random): { headers: Record<string, string>; note: string } {
  const now = Math.floor(Date.now() / 1000);
  if (!random.chance(1 / 7)) return { headers: { 'content-type': type, ...signBytes(body, SIGNING_SECRET, now) }, note: 'signed' };
  switch (random.int(4)) {
    case 0:
      return { headers: { 'content-type': type, ...signBytes(body, 'not-the-secret', now) }, note: 'another secret' };
    case 1:
      return { headers: { 'content-type': type, ...signBytes(body, SIGNING_SECRET, now - 600) }, note: 'signed 10 minutes ago' };
    case 2:
      return { headers: { 'content-type': type, 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=zz' }, note: 'malformed signature' };
    default:
      return { headers: { 'content-type': type }, note: 'unsigned' };
  }
}

const percentEncode = (bytes: Buffer): string => [...bytes].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('');

export function slackCases(count: number, seed: number, responseUrl: string): FuzzCase[] {
  const random = new Random(seed);
  // the published click, on one of aiops' buttons, so mutants reach its listener
  const published = slackFixture<Record<string, Json> & { actions: Array<Record<string, Json>> }>('interactivity_block_actions_button_in_message.json');
  const interaction: Json = { ...published, actions: [{ ...published.actions[0]!, action_id: 'aiops_approve', block_id: 'aiops_decision', value: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f' }] };
  const command = new URLSearchParams(slackFixtureText('slash_command_body_bolt_python_test.txt'));
  command.set('command', '/aiops');
  command.set('text', 'status payments');
  command.set('response_url', responseUrl);
  return Array.from({ length: count }, (_, index) => {
    let mutant: Mutant;
    let type: string;
    const kind = random.int(10);
    if (kind < 6) {
      const fixture = random.pick(SLACK_EVENTS);
      mutant = mutateJson(slackFixture<Json>(fixture), random);
      mutant = { ...mutant, name: `${fixture}: ${mutant.name}` };
      type = contentType('application/json', random);
    } else if (kind < 8) {
      const inner = mutateJson(interaction, random);
      const form = random.chance(0.9) ? `payload=${percentEncode(inner.body)}` : `payload=${percentEncode(inner.body)}&payload=%7B%7D`;
      mutant = { name: `block_actions: ${inner.name}`, body: Buffer.from(form) };
      type = contentType('application/x-www-form-urlencoded', random);
    } else {
      mutant = mutateForm(command.toString(), random);
      mutant = { ...mutant, name: `slash command: ${mutant.name}` };
      type = contentType('application/x-www-form-urlencoded', random);
    }
    const { headers, note } = slackHeaders(mutant.body, type, random);
    return { family: 'slack', name: `#${index} ${mutant.name} (${note}, ${type || 'no type'})`, method: 'POST', path: '/slack/events', headers, body: mutant.body, allowed: SLACK_ALLOWED };
  });
}

const TEAMS_FIXTURES = ['message_personal.json', 'message_back_inbound_channel.json', 'invoke_card_action_inbound.json', 'conversation_update_bot_added_personal.json', 'conversation_update_bot_added_to_team.json'];

function isInvoke(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { type?: unknown }).type === 'invoke';
  } catch {
    return false;
  }
}

/** Teams (no JWT: Bot Framework Emulator mode, so every body reaches the handler). */
export function teamsCases(count: number, seed: number, serviceUrl: string): FuzzCase[] {
  const random = new Random(seed);
  const bases: Array<{ name: string; json: Json }> = TEAMS_FIXTURES.map((name) => ({ name, json: { ...teamsFixture<Record<string, Json>>(name), serviceUrl } }));
  const invoke = teamsFixture<Record<string, Json>>('invoke_card_action_inbound.json');
  bases.push({
    name: 'Action.Execute',
    json: { ...invoke, serviceUrl, name: 'adaptiveCard/action', replyToId: '1700000000001', value: { action: { type: 'Action.Execute', id: 'approve', verb: 'aiops.approve', data: { id: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f' } }, trigger: 'manual' } },
  });
  const templates = ['adaptive_card_action_execute_invoke.template.txt', 'adaptive_card_action_execute_invoke_response.template.txt'].map((name) =>
    readFileSync(new URL(`../../fixtures/teams/${name}`, import.meta.url)),
  );
  return Array.from({ length: count }, (_, index) => {
    const base = random.pick(bases);
    const mutant = index < templates.length ? { name: 'the published template, comments and all', body: templates[index]! } : mutateJson(base.json, random);
    // Bot Framework answers 501 to an invoke the bot does not implement
    const allowed = [200, 400, 401, 413, ...(isInvoke(mutant.body) ? [501] : [])];
    const type = contentType('application/json', random);
    return { family: 'teams', name: `#${index} ${base.name}: ${mutant.name} (${type || 'no type'})`, method: 'POST', path: '/api/messages', headers: { 'content-type': type }, body: mutant.body, allowed };
  });
}

/** SNS: half the mutants are signed afterwards with the certificate the test serves ("signed but malformed"). */
export function snsCases(count: number, seed: number, signer: SnsSigner): FuzzCase[] {
  const random = new Random(seed);
  const notification = signer.notification(alarmMessage('payments-5xx-high', { at: new Date().toISOString() }));
  const bases: Array<{ name: string; json: Record<string, string> }> = [
    { name: 'Notification', json: notification },
    { name: 'SubscriptionConfirmation', json: signer.subscriptionConfirmation() },
    { name: 'UnsubscribeConfirmation', json: signer.sign(awsFixture<Record<string, string>>('sns_http_unsubscribe_confirmation.json')) },
  ];
  return Array.from({ length: count }, (_, index) => {
    const base = random.pick(bases);
    let mutant: Mutant;
    let note = 'unsigned after the change';
    if (base.name === 'Notification' && random.chance(0.3)) {
      // the alarm inside is malformed, the envelope around it properly signed
      const inner = mutateJson(JSON.parse(base.json.Message!) as Json, random);
      mutant = { name: `Message: ${inner.name}`, body: Buffer.from(JSON.stringify(signer.sign({ ...base.json, Message: inner.body.toString('utf8') }))) };
      note = 'signed';
    } else {
      mutant = mutateJson(base.json, random);
      if (random.chance(0.5)) {
        try {
          const parsed = JSON.parse(mutant.body.toString('utf8')) as unknown;
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((value) => typeof value === 'string')) {
            mutant = { ...mutant, body: Buffer.from(JSON.stringify(signer.sign(parsed as Record<string, string>))) };
            note = 'signed';
          }
        } catch {
          // not JSON: sent as it is
        }
      }
    }
    const headers: Record<string, string> = { 'content-type': contentType('text/plain; charset=UTF-8', random) };
    if (random.chance(0.7)) headers['x-amz-sns-message-type'] = random.chance(0.9) ? base.name : 'Notification';
    return { family: 'sns', name: `#${index} ${base.name}: ${mutant.name} (${note})`, method: 'POST', path: '/webhooks/sns', headers, body: mutant.body, allowed: [200, 400, 401, 403, 413] };
  });
}

const PIPELINE_HOOK = new URL('../../fixtures/gitlab/webhooks/pipeline_hook.json', import.meta.url);

/** GitLab's Pipeline Hook, once POST /webhooks/gitlab exists (the autofix branch adds it with its fixture). */
export function gitlabCases(count: number, seed: number, secret: string): FuzzCase[] {
  if (!existsSync(PIPELINE_HOOK)) throw new Error('POST /webhooks/gitlab is served but test/fixtures/gitlab/webhooks/pipeline_hook.json is missing');
  const random = new Random(seed);
  const hook = JSON.parse(readFileSync(PIPELINE_HOOK, 'utf8')) as Json;
  return Array.from({ length: count }, (_, index) => {
    const mutant = mutateJson(hook, random);
    const headers: Record<string, string> = { 'content-type': contentType('application/json', random), 'x-gitlab-event': random.chance(0.9) ? 'Pipeline Hook' : random.pick(['Job Hook', '', 'Push Hook']) };
    const token = random.chance(0.85) ? secret : random.pick(['', 'wrong', `${secret} `, secret.toUpperCase()]);
    if (token) headers['x-gitlab-token'] = token;
    return { family: 'gitlab', name: `#${index} ${mutant.name}`, method: 'POST', path: '/webhooks/gitlab', headers, body: mutant.body, allowed: [200, 400, 401, 413] };
  });
}

/** The read-only endpoints, the wrong methods on every route, and paths that are not routes. */
export function otherCases(routes: Array<{ method: string; path: string }>): FuzzCase[] {
  const gets = ['/healthz', '/readyz', '/metrics'].flatMap((path) => [path, `${path}?x=1&x=2`, `${path}?${'q'.repeat(4000)}`]);
  const cases: FuzzCase[] = gets.map((path) => ({ family: 'ops', name: `GET ${path.slice(0, 40)}`, method: 'GET', path, headers: {}, allowed: [200] }));
  for (const route of routes) {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST']) {
      if (method === route.method) continue;
      cases.push({ family: 'methods', name: `${method} ${route.path}`, method, path: route.path, headers: {}, allowed: method === 'GET' && route.method === 'GET' ? [200] : [404, 405] });
    }
  }
  const unknown = ['/', '/admin', '/slack/events/', '//slack/events', '/SLACK/EVENTS', '/%2e%2e/metrics', '/api/messages/x', '/webhooks', '/webhooks/', '/webhooks/github', '/\u0000', `/${'a'.repeat(6000)}`, '/.env', '/metrics.json'];
  for (const path of unknown) {
    for (const method of ['GET', 'POST']) cases.push({ family: 'unknown', name: `${method} ${path.slice(0, 40)}`, method, path: encodeURI(path), headers: {}, body: method === 'POST' ? Buffer.from('{}') : undefined, allowed: [404, 405] } as FuzzCase);
  }
  return cases;
}
