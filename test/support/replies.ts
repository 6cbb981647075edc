import type { Reply } from '../../src/bot/reply.js';
import { settled } from '../../src/bot/reply.js';

const approvalId = '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f';

/** The replies every renderer is snapshotted with: one per shape the engine produces, plus hostile and oversized ones. */
export const SAMPLE_REPLIES: Record<string, Reply> = {
  plain: { text: 'OK, forgotten.' },
  status: {
    text: '*Status of payments* in prod',
    sections: [{ title: 'payments (owner team-payments)', lines: ['prod: unlocked 1 pending approval'] }],
    context: ['Versions and pipelines need GitLab (GITLAB_URL, GITLAB_TOKEN); showing what aiops itself knows.'],
  },
  approval: {
    text: '*Deploy payments v1.2 to prod*',
    tone: 'warning',
    fields: [
      { label: 'Service', value: 'payments' },
      { label: 'Environment', value: 'prod' },
      { label: 'Version', value: 'v1.2' },
      { label: 'Risk', value: 'high' },
    ],
    sections: [{ title: 'Plan', lines: ['1. Check that v1.2 exists in acme/payments and its latest pipeline succeeded', '2. Trigger a pipeline on v1.2 with `AIOPS_ACTION=deploy`'] }],
    links: [{ label: 'Pipeline #42', url: 'https://gitlab.example.com/acme/payments/-/pipelines/42' }],
    buttons: [
      {
        label: 'Approve',
        choice: 'approve',
        target: approvalId,
        style: 'primary',
        confirm: { title: 'Approve this change?', text: 'Deploy payments v1.2 to prod. This runs as soon as you confirm.', confirm: 'Approve', deny: 'Not yet' },
      },
      { label: 'Cancel', choice: 'reject', target: approvalId, style: 'danger' },
    ],
    context: ['Requested by alice · needs approval by someone other than alice with the approver role (four-eyes) · expires 14:32 UTC · ref c-abc123'],
  },
  error: { text: 'Sorry, you can\'t deploy in prod: you are *developer* and it needs the *devops* role.', tone: 'error', context: ['An admin can change roles with `grant <user> <role>`.'] },
  hostile: {
    text: 'Hey <!channel> & <!here>, <@U0ADMIN> says <https://evil.example|click me> *now*',
    tone: 'info',
    fields: [{ label: '<b>Service</b>', value: '<!everyone> & friends' }],
    sections: [{ title: '</at><at>aiops</at>', lines: ['[click](https://evil.example) **bold** _it_ <script>alert(1)</script>'] }],
    links: [
      { label: 'not a link', url: 'javascript:alert(1)' },
      { label: 'a|pipe', url: 'https://example.com/?a=1&b=2' },
      { label: 'angle', url: 'https://example.com/<x>' },
    ],
    context: ['<@U0ADMIN|admin> & <#C123|general>'],
  },
};

SAMPLE_REPLIES.settled = settled(SAMPLE_REPLIES.approval!, 'Approved by bob at 14:02 UTC', 'success');

/** A reply far beyond every platform limit: long lines, many sections, many context lines. */
export function oversizedReply(): Reply {
  const line = (n: number) => `line ${n} ${'x'.repeat(390)}`;
  return {
    text: `*Big report* ${'y'.repeat(5000)}`,
    fields: Array.from({ length: 25 }, (_, n) => ({ label: `Field ${n}`, value: 'v'.repeat(2500) })),
    sections: Array.from({ length: 60 }, (_, n) => ({ title: `Section ${n}`, lines: Array.from({ length: 12 }, (_, m) => line(m)) })),
    buttons: SAMPLE_REPLIES.approval!.buttons!,
    context: Array.from({ length: 15 }, (_, n) => `context ${n}`),
  };
}
