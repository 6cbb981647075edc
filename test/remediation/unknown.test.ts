import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from './runners.js';

// Failures that are policy, process or permissions: a human decides, so no playbook may claim them.
describe('unknown stays unknown: gates, cancellations, permissions, quotas', () => {
  const cases: Array<[string, string]> = [
    ['jest coverage threshold', githubStep('npx jest --coverage', 'Jest: "global" coverage threshold for branches (80%) not met: 76.41%\n\nTest Suites: 38 passed, 38 total\nTests:       262 passed, 262 total')],
    ['pytest-cov fail-under', gitlabJob('python:3.12', '$ pytest --cov=app --cov-fail-under=85\nTOTAL                         1912    341    82%\n\nFAIL Required test coverage of 85% not reached. Total coverage: 82.17%\n============================= 318 passed in 12.84s =============================')],
    ['go coverage gate', githubStep('./ci/coverage-gate.sh 80', 'ok  \tgithub.com/acme/api/internal/store\t1.204s\tcoverage: 71.3% of statements\ncoverage 71.3% is below the required 80%')],
    ['JaCoCo rule', jenkinsStage('+ mvn -B verify\n[INFO] Tests run: 120, Failures: 0, Errors: 0, Skipped: 0\n[WARNING] Rule violated for bundle api: lines covered ratio is 0.71, but expected minimum is 0.80\n[ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.8.12:check (check) on project api: Coverage checks have not been met. See log for details.')],
    ['license checker', githubStep('npx license-checker --failOn GPL-3.0', '├─ MIT: 812\n└─ GPL-3.0: 1\n\nFound license defined by the --failOn flag: "GPL-3.0". Exiting.')],
    ['trivy', gitlabJob('aquasec/trivy:0.52.0', '$ trivy image --exit-code 1 --severity HIGH,CRITICAL registry.example.com/api:1.4\nTotal: 2 (HIGH: 1, CRITICAL: 1)\n│ zlib1g │ CVE-2023-45853 │ CRITICAL │ fixed │ 1:1.2.13 │ 1:1.2.13+deb12u1 │')],
    ['snyk', githubStep('npx snyk test --severity-threshold=high', '✗ High severity vulnerability found in semver\n  Introduced through: node-gyp@9.4.0 > semver@5.7.1\n\nTested 812 dependencies for known issues, found 1 issue, 1 vulnerable path.')],
    ['cargo audit', githubStep('cargo audit', 'Crate:     time\nVersion:   0.1.45\nTitle:     Potential segfault in the time crate\nID:        RUSTSEC-2020-0071\nerror: 1 vulnerability found!')],
    ['pip-audit', gitlabJob('python:3.12', '$ pip-audit -r requirements.txt\nFound 1 known vulnerability in 1 package\nName    Version ID             Fix Versions\n------- ------- -------------- ------------\njinja2  3.1.2   PYSEC-2024-48  3.1.4')],
    ['GitHub Actions cancelled', githubStep('npm test', 'Running 412 tests\n##[error]The operation was canceled.')],
    ['Jenkins aborted', ['[Pipeline] sh', '+ ./gradlew build', 'Sending interrupt signal to process', 'Aborted by jane.doe', '[Pipeline] End of Pipeline', 'Finished: ABORTED'].join('\n')],
    ['Azure pipeline cancelled', githubStep('dotnet test', '##[error]The operation was canceled.\n##[section]Finishing: Test')],
    ['merge conflict on rebase', githubStep('git rebase origin/main', 'Auto-merging src/config.ts\nCONFLICT (content): Merge conflict in src/config.ts\nerror: could not apply 1a2b3c4... Make timeouts configurable\nhint: Resolve all conflicts manually, mark them as resolved with')],
    ['artifact too large', gitlabJob('node:20', '$ npm run build\nbuilt in 41.2s\nUploading artifacts for successful job\nUploading artifacts...\nWARNING: Uploading artifacts as "archive" to coordinator... 413 Request Entity Too Large  id=1 status=413\nFATAL: too large')],
    ['registry push denied (GHCR)', githubStep('docker push ghcr.io/acme/api:1.4', 'The push refers to repository [ghcr.io/acme/api]\ndenied: permission_denied: write_package')],
    ['ECR not authorized', githubStep('docker push 1234.dkr.ecr.eu-west-1.amazonaws.com/api:1.4', 'denied: User: arn:aws:sts::1234:assumed-role/ci-readonly/gha is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-1:1234:repository/api because no identity-based policy allows the ecr:InitiateLayerUpload action')],
    ['GCP quota', gitlabJob('google/cloud-sdk:473.0.0-slim', "$ gcloud compute instance-groups managed resize workers --size=40\nERROR: (gcloud.compute.instance-groups.managed.resize) Could not fetch resource:\n - Quota 'CPUS' exceeded.  Limit: 240.0 in region europe-west1.")],
    ['AWS service limit', githubStep('aws cloudformation deploy --stack-name api', 'An error occurred (LimitExceededException) when calling the CreateStack operation: Limit for stacks has been exceeded')],
    ['Terraform state lock', githubStep('terraform apply -auto-approve', '│ Error: Error acquiring the state lock\n│\n│ Error message: ConditionalCheckFailedException: The conditional request failed\n│ Lock Info:\n│   ID:        4f1c...\n│ Terraform acquires a state lock to protect the state from being written\n│ by multiple users at the same time.')],
    ['npm publish over an existing version', gitlabJob('node:20', "$ npm publish\nnpm ERR! code E403\nnpm ERR! 403 403 Forbidden - PUT https://registry.npmjs.org/@acme%2fui - You cannot publish over the previously published versions: 1.4.2.")],
    ['commitlint', ['#!/bin/bash -eo pipefail', 'npx commitlint --from origin/main', '⧗   input: WIP error handling', '✖   subject may not be empty [subject-empty]', '✖   type may not be empty [type-empty]', '', '✖   found 2 problems, 0 warnings', '', 'Exited with code exit status 1'].join('\n')],
    ['size-limit', githubStep('npx size-limit', '  dist/react.js\n  Package size limit has exceeded by 3.18 kB\n  Size limit: 25 kB\n  Size:       28.18 kB with all dependencies, minified and brotlied')],
    ['Argo rollout aborted by analysis', gitlabJob('argoproj/kubectl-argo-rollouts:v1.7', '$ kubectl argo rollouts status api -n prod --timeout 15m\nDegraded - RolloutAborted: Rollout aborted update to revision 42: Metric "http-5xx-rate" assessed Failed due to failed (3) > failureLimit (2)\nError: The rollout is in a degraded state')],
    ['SonarQube quality gate', githubStep('sonar-scanner -Dsonar.qualitygate.wait=true', 'INFO: ------------- Check Quality Gate status\nINFO: Waiting for the analysis report to be processed (max 300s)\nERROR: QUALITY GATE STATUS: FAILED - View details on https://sonar.example.com/dashboard?id=api')],
    ['Lighthouse budget', githubStep('npx lhci autorun', '✘  performance failure for minScore assertion\n     expected: >=0.9\n        found: 0.81\n\nAssertion failed. Exiting with status code 1.')],
    ['missing changelog entry (danger)', gitlabJob('node:20', '$ npx danger ci\nFailing the build, there is 1 fail.\n## Failures\nPlease add a CHANGELOG.md entry for this change.')],
    ['a script with no explanation', gitlabJob('alpine:3.20', '$ ./ci/run-stage.sh publish')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('unknown');
    expect(diagnosis.autoFix).toBeUndefined();
  });
});
