import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../src/remediation/analyze.js';
import { isCiMetadata } from '../../src/remediation/ci-metadata.js';
import { githubStep, gitlabJob, jenkinsStage } from './runners.js';

const jenkinsCheckout = (title: string, branch = 'main'): string =>
  [
    'Started by an SCM change',
    `Checking out Revision 0d0a67e178c9bedaee0423faf43a66524d532ca7 (refs/remotes/origin/${branch})`,
    ' > git checkout -f 0d0a67e178c9bedaee0423faf43a66524d532ca7 # timeout=10',
    `Commit message: "${title}"`,
  ].join('\n');

const mavenAssertion = [
  '+ ./mvnw -B test',
  '[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.087 s <<< FAILURE! -- in com.acme.orders.OrderTest',
  'org.opentest4j.AssertionFailedError: expected: <SHIPPED> but was: <CANCELLED>',
  '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project orders: There are test failures.',
].join('\n');

const pytestAssertion = [
  '$ pytest -q',
  '>       assert round(route.length_m()) == 4290',
  'E       assert 4198 == 4290',
  'tests/test_route.py:31: AssertionError',
  'FAILED tests/test_route.py::test_route_length_meters - assert 4198 == 4290',
  '1 failed, 31 passed in 0.88s',
].join('\n');

// What people typed (commit and MR titles, branch, stage and step names) is data: `flaky` there is no flaky test.
describe('titles and names the CI system echoes are not evidence', () => {
  const cases: Array<[string, string, string]> = [
    ['Jenkins commit message, then a genuine assertion', `${jenkinsCheckout('Fix flaky retry handling (#740)')}\n${jenkinsStage(mavenAssertion)}`, 'pb-test-000'],
    ['Jenkins commit message, then a tool missing from the image', `${jenkinsCheckout('Fix flaky retry handling (#1257)')}\n${jenkinsStage('+ helm package deploy/chart\nscript.sh.copy: 1: helm: not found')}`, 'unknown'],
    [
      'Jenkins branch and stage names, then a download reset',
      `${jenkinsCheckout('Retry flaky downloads', 'fix/flaky-mirror')}\n[Pipeline] { (Flaky tests)\n${jenkinsStage('+ mvn -B package\n[ERROR] Failed to execute goal on project geo: Could not resolve dependencies for project com.acme:geo:jar:1.0: Could not transfer artifact org.geotools:gt-main:pom:31.1 from/to osgeo (https://repo.osgeo.org/repository/release/): Connection reset')}`,
      'pb-infra-001',
    ],
    ['GitLab runner checking out a branch named after flakiness', `Checking out 9f8e7d6c as fix-flaky-login-test...\n${gitlabJob('python:3.12', pytestAssertion)}`, 'pb-test-000'],
    ['git printing the commit title (GitHub, CircleCI)', `HEAD is now at 1a2b3c4 Quarantine the intermittently failing payment test\n${githubStep('pytest -q', pytestAssertion)}`, 'pb-test-000'],
    ['an environment dump with the branch and MR title', `  CIRCLE_BRANCH=fix/intermittent-timeouts\nexport CI_MERGE_REQUEST_TITLE="Deflake the nondeterministic cache test"\n${gitlabJob('python:3.12', pytestAssertion)}`, 'pb-test-000'],
    ['Azure step names', `Starting: Run flaky e2e suite\n${pytestAssertion}\n##[section]Finishing: Run flaky e2e suite`, 'pb-test-000'],
  ];
  it.each(cases)('%s', (_name, log, expected) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe(expected);
    expect(diagnosis.evidence.map((line) => line.text).join('\n')).not.toMatch(/Commit message|Checking out|HEAD is now at|CIRCLE_BRANCH|Starting:/);
    if (expected !== 'pb-infra-001') expect(diagnosis.autoFix).toBeUndefined();
  });

  it('knows metadata lines by their shape, not their words', () => {
    const metadata = ['Commit message: "Fix flaky test"', 'Checking out 1a2b3c4d as detached HEAD (ref is fix/flaky)...', '[main 1a2b3c4] Fix flaky test', 'Switched to a new branch \'flaky\'', 'Complete job name: test (flaky)'];
    const evidence = ['2 flaky', 'tests/test_ws.py::test_broadcast RERUN', 'Checking out files: 100% (412/412), done.', 'Error: Commit message is empty'];
    expect(metadata.filter((line) => !isCiMetadata(line))).toEqual([]);
    expect(evidence.filter(isCiMetadata)).toEqual([]);
  });
});

// A tool that retried a download and then finished did not fail the job: what failed later did.
describe('network retries that were followed by success are not the cause', () => {
  const cases: Array<[string, string, string]> = [
    [
      'pip retried, installed, then a test failed',
      githubStep(
        'pip install -r requirements.txt && pytest -q',
        `Collecting numpy==1.26.4 (from -r requirements.txt (line 1))
WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)")': /simple/numpy/
WARNING: Retrying (Retry(total=3, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))': /simple/numpy/
  Downloading numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl.metadata (61 kB)
Successfully installed numpy-1.26.4 pytest-8.2.0
${pytestAssertion}`,
      ),
      'pb-test-000',
    ],
    [
      'npm retried, installed, then jest failed',
      gitlabJob('node:20', `$ npm ci
npm WARN retry will retry, error on last attempt: Error: socket hang up
added 812 packages in 41s
$ npx jest
FAIL src/cart.test.ts
  ● Cart › applies the discount
    expect(received).toBe(expected) // Object.is equality
Tests:       1 failed, 12 passed, 13 total`),
      'pb-test-000',
    ],
    [
      'pip retried and never got through: still the network',
      gitlabJob('python:3.12', `$ pip install -r requirements.txt
WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)")': /simple/numpy/
ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded with url: /simple/numpy/ (Caused by ReadTimeoutError("HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)"))`),
      'pb-infra-001',
    ],
  ];
  it.each(cases)('%s', (_name, log, expected) => {
    expect(analyzeFailure(log).playbookId).toBe(expected);
  });
});
