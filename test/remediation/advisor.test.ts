import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../src/remediation/analyze.js';
import { analyzeFailureWithAdvisor, type AdviceRequest, type FailureAdvisor } from '../../src/remediation/advisor.js';
import { gitlabJob } from './runners.js';

/** An advisor that answers what the test says, and remembers what it was asked. */
function scriptedAdvisor(answer: unknown | (() => never)): FailureAdvisor & { requests: AdviceRequest[] } {
  const requests: AdviceRequest[] = [];
  return {
    requests,
    async advise(request) {
      requests.push(request);
      if (typeof answer === 'function') return (answer as () => never)();
      return answer;
    },
  };
}

const confident = gitlabJob('node:20', '$ npm ci\nnpm ERR! code ETIMEDOUT\nnpm ERR! network request to https://registry.npmjs.org/react failed, reason: connect ETIMEDOUT 104.16.0.35:443');
const tie = gitlabJob('node:20', "$ npm run all\nsrc/a.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\nerror: environment variable DATABASE_URL is not set\n$ export PGPASSWORD=hunter2");

describe('analyzeFailureWithAdvisor', () => {
  it('asks with masked text only, and the candidates it may choose from', async () => {
    const advisor = scriptedAdvisor({ playbookId: 'pb-infra-001', rootCause: 'The npm registry timed out.', confidence: 0.9 });
    await analyzeFailureWithAdvisor(tie, advisor);
    const [request] = advisor.requests;
    expect(request?.log).not.toContain('hunter2');
    expect(request?.choices.map((choice) => choice.playbookId)).toEqual(expect.arrayContaining(['pb-build-000', 'pb-env-001', 'unknown']));
    expect(request?.rules.evidence.length).toBeGreaterThan(0);
  });

  it('adds the root cause when it agrees, keeping the rules decision and auto-fix', async () => {
    const diagnosis = await analyzeFailureWithAdvisor(confident, scriptedAdvisor({ playbookId: 'pb-infra-001', rootCause: 'registry.npmjs.org did not answer within the connect timeout.', confidence: 0.8 }));
    expect(diagnosis).toMatchObject({ playbookId: 'pb-infra-001', decidedBy: 'rules', advice: { status: 'agreed' }, autoFix: { kind: 'retry' } });
    expect(diagnosis.rootCause).toContain('registry.npmjs.org');
  });

  it('breaks a tie between close candidates, but never to an auto-fix', async () => {
    const rules = analyzeFailure(tie);
    const other = rules.playbookId === 'pb-env-001' ? 'pb-build-000' : 'pb-env-001';
    const diagnosis = await analyzeFailureWithAdvisor(tie, scriptedAdvisor({ playbookId: other, rootCause: 'The type error stops the build first.', confidence: 0.7 }));
    expect(rules.confidence).toBeLessThan(0.5);
    expect(diagnosis).toMatchObject({ playbookId: other, decidedBy: 'advisor', advice: { status: 'tie-broken' } });
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('cannot overturn a confident diagnosis', async () => {
    const diagnosis = await analyzeFailureWithAdvisor(confident, scriptedAdvisor({ playbookId: 'pb-test-000', rootCause: 'A test failed.', confidence: 1 }));
    expect(diagnosis).toMatchObject({ playbookId: 'pb-infra-001', decidedBy: 'rules', advice: { status: 'overruled' } });
    expect(diagnosis.rootCause).toBeUndefined();
  });

  it.each([
    ['an unknown playbook id', { playbookId: 'pb-magic-999', rootCause: 'x', confidence: 0.5 }],
    ['a confidence out of range', { playbookId: 'pb-infra-001', rootCause: 'x', confidence: 3 }],
    ['an empty root cause', { playbookId: 'pb-infra-001', rootCause: '  ', confidence: 0.5 }],
    ['prose instead of JSON', 'I think the network failed.'],
  ])('ignores %s and keeps the rules diagnosis', async (_name, answer) => {
    const diagnosis = await analyzeFailureWithAdvisor(confident, scriptedAdvisor(answer));
    expect(diagnosis).toMatchObject({ playbookId: 'pb-infra-001', decidedBy: 'rules', advice: { status: 'invalid' }, autoFix: { kind: 'retry' } });
  });

  it('survives an advisor that throws (timeout, network)', async () => {
    const diagnosis = await analyzeFailureWithAdvisor(confident, scriptedAdvisor(() => {
      throw new Error('request timed out');
    }));
    expect(diagnosis).toMatchObject({ playbookId: 'pb-infra-001', advice: { status: 'failed' } });
  });

  it('masks a secret the model echoes back', async () => {
    const diagnosis = await analyzeFailureWithAdvisor(confident, scriptedAdvisor({ playbookId: 'pb-infra-001', rootCause: 'Timed out; also the token glpat-AbCdEfGhIjKlMnOpQrSt12 leaked.', confidence: 0.8 }));
    expect(diagnosis.rootCause).not.toContain('glpat-AbCd');
  });
});
