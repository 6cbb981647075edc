import { describe, expect, it } from 'vitest';
import { analyzeFailure, analyzeTrace } from '../../src/remediation/analyze.js';
import { cleanTrace } from '../../src/remediation/clean.js';
import { PLAYBOOKS } from '../../src/remediation/playbooks/index.js';
import { githubStep, gitlabJob } from './runners.js';

describe('analyzeFailure: signals compete', () => {
  it('an OOM kill wins over the failing test it interrupted', () => {
    const log = gitlabJob('python:3.12', `
$ pytest -n 4
FAILED tests/test_embed.py::test_encode_batch - worker 'gw1' crashed while running 'tests/test_embed.py::test_encode_batch'
E   AssertionError: worker crashed
[gw1] node down: Not properly terminated
/scripts-9/step_script: line 200:    88 Killed                  pytest -n 4`, 137);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-resource-001');
    expect(diagnosis.candidates[1]?.playbookId).toBe('pb-test-000');
  });

  it("a relative import that cannot be found is the project's code, a bare one is a missing package", () => {
    const relative = gitlabJob('node:20', "$ node index.js\nError: Cannot find module './utils'\nRequire stack:\n- /builds/x/index.js");
    const bare = gitlabJob('node:20', "$ node index.js\nError: Cannot find module 'utils'\nRequire stack:\n- /builds/x/index.js");
    expect(analyzeFailure(relative).playbookId).toBe('pb-build-000');
    expect(analyzeFailure(bare).playbookId).toBe('pb-dep-002');
  });

  it('a timeout inside a test that passed on retry is flaky, not a timeout', () => {
    const log = githubStep('npx playwright test', `
  ✘  3 [chromium] › upload.spec.ts:12:3 › upload › shows progress (30.0s)
  ✓  4 [chromium] › upload.spec.ts:12:3 › upload › shows progress (retry #1) (4.2s)

  1) [chromium] › upload.spec.ts:12:3 › upload › shows progress ─────────────────

    Test timeout of 30000ms exceeded.

  1 flaky
    [chromium] › upload.spec.ts:12:3 › upload › shows progress ───────────────────
  1 failed
    [chromium] › auth.spec.ts:3:3 › auth › logs out ──────────────────────────────
  40 passed (1.2m)`);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-002');
    expect(diagnosis.candidates.map((candidate) => candidate.playbookId)).toContain('pb-test-001');
  });

  it('a disk that filled up explains the npm and test errors it caused', () => {
    const log = gitlabJob('node:20', "$ npm ci\nnpm ERR! code ENOSPC\nnpm ERR! nospc ENOSPC: no space left on device, write\n$ npm test\nError: Cannot find module 'jest'");
    expect(analyzeFailure(log).playbookId).toBe('pb-resource-002');
  });

  it('two strong, unrelated causes lower the confidence and keep both as candidates', () => {
    const log = gitlabJob('node:20', "$ npm run all\nsrc/a.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\nKeyError: 'DATABASE_URL'\nerror: environment variable DATABASE_URL is not set");
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.confidence).toBeLessThan(0.6);
    expect(diagnosis.candidates.map((candidate) => candidate.playbookId).slice(0, 2).sort()).toEqual(['pb-build-000', 'pb-env-001']);
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe('analyzeFailure: the diagnosis', () => {
  const log = gitlabJob('python:3.12', "$ export DATABASE_URL=postgres://app:hunter2@db:5432/app\n$ pytest\nE   ModuleNotFoundError: No module named 'requests'  # token=abc123secret");

  it('has every field the webhook and chat need', () => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({
      playbookId: 'pb-dep-001',
      title: 'Missing Python package',
      risk: 'low',
      decidedBy: 'rules',
      slots: { module: 'requests', package: 'requests', command: 'pytest' },
    });
    expect(diagnosis.summary).toContain('requests');
    expect(diagnosis.remediation.length).toBeGreaterThan(0);
    expect(diagnosis.confidence).toBeGreaterThanOrEqual(0);
    expect(diagnosis.confidence).toBeLessThanOrEqual(1);
    expect(diagnosis.evidence[0]).toMatchObject({ signal: 'python-module-not-found' });
  });

  it('shows only masked text', () => {
    const serialised = JSON.stringify(analyzeTrace(log).diagnosis) + analyzeTrace(log).lines.join('\n');
    expect(serialised).not.toContain('hunter2');
    expect(serialised).not.toContain('abc123secret');
  });

  it('gives the same answer for the raw and the cleaned trace, every time', () => {
    const first = analyzeFailure(log);
    expect(analyzeFailure(cleanTrace(log).text)).toEqual(first);
    expect(analyzeFailure(log)).toEqual(first);
  });

  it('evidence line numbers point into the cleaned trace', () => {
    const { diagnosis, lines } = analyzeTrace(log);
    for (const evidence of diagnosis.evidence) expect(lines[evidence.line - 1]?.trim()).toBe(evidence.text);
  });

  it('reads a partial log that starts mid-line', () => {
    const partial = "ule named 'numpy'\nE   ModuleNotFoundError: No module named 'numpy'\nERROR: Job failed: exit code 1";
    expect(analyzeFailure(partial)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'numpy' } });
  });

  it('finds the cause at the end of a trace longer than 64 KB', () => {
    const noise = Array.from({ length: 4000 }, (_, index) => `Downloading package-${index}.tgz (12 kB)`).join('\n');
    const diagnosis = analyzeFailure(`${noise}\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`);
    expect(diagnosis.playbookId).toBe('pb-resource-001');
  });
});

describe('regexes stay linear on hostile input', () => {
  const fragments = [
    'a', 'A', '0', ' ', '\t', ':', '=', '/', '@', '.', '-', '_', '"', "'", '`', '(', '[', '{', '\\', '#', '$', '>', '›',
    'a:', 'a=', 'a ', '://', 'a:b', 'a@', 'eyJ', 'eyJa.', 'glpat-', 'xoxb-', 'Bearer ', 'password=', 'token: ', '--password ',
    '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '\u001b[', '\u001b]', 'section_start:1:', '\r', 'E   ',
    "Cannot find module '", 'No module named ', 'error TS', '.go:1:', '.java:[', 'Tests run: ', '--- FAIL: ', ' > ', '✘ ',
    'Killed ', 'exit code ', 'Because ', 'Could not resolve ', 'requires ', 'Invalid value for ', 'KeyError: ',
  ];
  const hostile = fragments.flatMap((fragment) => [fragment.repeat(Math.ceil(70_000 / fragment.length)), `${fragment.repeat(Math.ceil(2100 / fragment.length))}\n`.repeat(32)]);

  it('cleans and analyses every hostile 64 KB input (completes; timing is for npm run bench)', () => {
    for (const input of hostile) {
      const diagnosis = analyzeFailure(input);
      expect(diagnosis.confidence).toBeGreaterThanOrEqual(0);
    }
  });

  it('every signal pattern is neither global nor sticky (exec must not carry state between lines)', () => {
    for (const playbook of PLAYBOOKS) for (const signal of playbook.signals) expect(signal.pattern.global || signal.pattern.sticky, signal.name).toBe(false);
  });
});

describe('analyzeFailure: real-world shapes', () => {
  it('reads through Turborepo/Nx task prefixes', () => {
    const log = githubStep('npx turbo run test', "@acme/web:test: FAIL src/cart.test.ts\n@acme/web:test:   ● cart › totals\n@acme/web:test:     expect(received).toBe(expected) // Object.is equality\n@acme/web:test: Tests:       1 failed, 9 passed, 10 total");
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-test-000', slots: { test: 'cart › totals' } });
  });

  it('reads through Jenkins and TeamCity time prefixes', () => {
    const jenkins = '13:59:35  + python app.py\n13:59:36  ModuleNotFoundError: No module named \'flask\'\n13:59:36  Finished: FAILURE';
    const teamcity = "[13:59:35]i: [Step 2/3] Starting: npm run build\n[13:59:40]E: [Step 2/3] FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory";
    expect(analyzeFailure(jenkins)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'flask' } });
    expect(analyzeFailure(teamcity).playbookId).toBe('pb-resource-001');
  });

  it('a package file missing under node_modules is a missing package; a baseUrl folder import is code', () => {
    const bin = gitlabJob('node:20', "$ npm test\nError: Cannot find module '/builds/x/node_modules/.bin/../jest/bin/jest.js'");
    const baseUrl = githubStep('npx tsc', "src/app.tsx(2,20): error TS2307: Cannot find module 'components/Button' or its corresponding type declarations.");
    expect(analyzeFailure(bin)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'jest' } });
    expect(analyzeFailure(baseUrl).playbookId).toBe('pb-build-000');
  });

  it("pip's non-fatal resolver warning does not explain a later test failure", () => {
    const log = gitlabJob('python:3.12', "$ pip install -r requirements.txt\nERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.\nbotocore 1.34.0 requires urllib3<2.1, but you have urllib3 2.2.1 which is incompatible.\nSuccessfully installed urllib3-2.2.1\n$ pytest\nFAILED tests/test_api.py::test_list - assert 2 == 3\n========================= 1 failed, 40 passed in 3.20s =========================");
    expect(analyzeFailure(log).playbookId).toBe('pb-test-000');
  });

  it('an old-style docker build OOM (returned a non-zero code: 137)', () => {
    const log = jenkinsLike("Step 7/9 : RUN npm run build\n ---> Running in 5f2c\nThe command '/bin/sh -c npm run build' returned a non-zero code: 137");
    expect(analyzeFailure(log).playbookId).toBe('pb-resource-001');
  });

  it('tsconfig problems are configuration, not code (TS18003)', () => {
    const log = githubStep('npx tsc -p .', 'error TS18003: No inputs were found in config file \'/home/runner/work/x/x/tsconfig.json\'. Specified \'include\' paths were \'["src"]\'.');
    expect(analyzeFailure(log).playbookId).toBe('pb-env-002');
  });

  it('NuGet cannot reach its feed: transient', () => {
    const log = githubStep('dotnet restore', 'error NU1301: Unable to load the service index for source https://api.nuget.org/v3/index.json.');
    expect(analyzeFailure(log).playbookId).toBe('pb-infra-001');
  });
});

const jenkinsLike = (output: string): string => `[Pipeline] sh\n+ docker build -t app .\n${output}\n[Pipeline] }\nERROR: script returned exit code 1\nFinished: FAILURE`;
