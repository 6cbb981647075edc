import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

const buildkite = (output: string): string =>
  output
    .trim()
    .split('\n')
    .map((line, index) => `\u001b_bk;t=${1718100000000 + index}\u0007${line}`)
    .concat(['\u001b_bk;t=1718100009999\u0007🚨 Error: The command exited with status 1'])
    .join('\n');

describe('pb-env-002: a value refused by a schema or an API server', () => {
  const cases: Array<[string, string]> = [
    ['helm values.schema.json', githubStep('helm upgrade --install api ./chart -f values-prod.yaml', `Error: UPGRADE FAILED: values don't meet the specifications of the schema(s) in the following chart(s):
api:
- replicaCount: Invalid type. Expected: integer, given: string`)],
    ['kubectl: BadRequest on a typed field', gitlabJob('bitnami/kubectl:1.29', `$ kubectl apply -f k8s/
Error from server (BadRequest): error when creating "k8s/deployment.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string`)],
    ['kubectl: Invalid value', jenkinsStage(`+ kubectl apply -f deploy.yaml
The Deployment "api" is invalid: spec.template.spec.containers[0].resources.limits.memory: Invalid value: "512MB": must match the regex`)],
    ['a CRD apiVersion that does not exist', githubStep('kubectl apply -f monitoring/', 'error: resource mapping not found for name: "api" namespace: "" from "monitoring/servicemonitor.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v2"')],
    ['serverless (ajv)', gitlabJob('node:20', `$ npx serverless deploy --stage prod
Error:
Configuration error at 'functions.api.timeout': must be integer`)],
    ['CircleCI config', ['#!/bin/sh -eo pipefail', '# Config does not conform to schema: {:workflows {:build {:jobs [{:test (not (map? nil))}]}}}', '', 'Exited with code exit status 1'].join('\n')],
    ['Azure Pipelines YAML', githubStep('az pipelines run --name api', '/azure-pipelines.yml (Line: 14, Col: 5): Unexpected value \'stepz\'')],
    ['pydantic-settings enum, on Buildkite', buildkite(`$ docker compose run --rm worker python -m worker.check
pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings
log_level
  Input should be 'DEBUG', 'INFO', 'WARNING' or 'ERROR' [type=enum, input_value='verbose', input_type=str]`)],
    ['pydantic v1', gitlabJob('python:3.9', `$ python -m app
pydantic.error_wrappers.ValidationError: 1 validation error for Settings
port
  value is not a valid integer (type=type_error.integer)`)],
    ['Go envconfig', gitlabJob('golang:1.22', `$ go run ./cmd/api
2024/06/01 10:00:00 envconfig.Process: assigning API_TIMEOUT to Timeout: converting '30 seconds' to type time.Duration. details: time: invalid duration "30 seconds"
exit status 1`)],
    ['Rust serde config', githubStep('cargo run -- --config config/prod.toml', "Error: invalid type: string \"eight\", expected u16 for key `server.workers` in config/prod.toml")],
    ['NestJS config (joi)', gitlabJob('node:20', '$ node dist/main.js\nError: Config validation error: "PORT" must be a number')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-002');
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe("pb-env-002: a tool's own configuration is invalid", () => {
  const cases: Array<[string, string]> = [
    ['ESLint eslintrc rule options (CircleCI)', ['#!/bin/bash -eo pipefail', 'npx eslint . --max-warnings=0', '', 'Oops! Something went wrong! :(', '', 'ESLint: 8.57.0', '', 'Error: /home/circleci/project/.eslintrc.json:', '\tConfiguration for rule "no-console" is invalid:', "\tSeverity should be one of the following: 0 = off, 1 = warn, 2 = error (you passed '\"warning\"').", '', 'Exited with code exit status 2'].join('\n')],
    ['ESLint flat config', githubStep('npx eslint .', 'Oops! Something went wrong! :(\n\nESLint: 9.4.0\n\nTypeError: Key "languageOptions": Key "parserOptions": Unexpected key "project2" found.')],
    ['Jest', gitlabJob('node:20', '$ npx jest\n● Validation Error:\n\n  Option "testEnvironment" must be of type:\n    string\n  but instead received:\n    number')],
    ['Prettier', githubStep('npx prettier --check .', '[error] Invalid printWidth value. Expected an integer, but received "eighty".')],
    ['golangci-lint', gitlabJob('golangci/golangci-lint:v1.59', "$ golangci-lint run\nError: can't load config: the Go language version (go1.22) used to build golangci-lint is lower than the targeted Go version")],
    ['Dockerfile', githubStep('docker build -t api .', 'ERROR: failed to solve: dockerfile parse error on line 7: unknown instruction: RUNN')],
    ['Jenkinsfile', jenkinsStage(`org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:
WorkflowScript: 14: Expected a stage @ line 14, column 9.
           steps {
           ^`)],
    ['Ansible', gitlabJob('cytopia/ansible:2.16', "$ ansible-playbook site.yml\nERROR! 'hostz' is not a valid attribute for a Play")],
    ['RuboCop: a value the cop does not accept', gitlabJob('ruby:3.3', "$ bundle exec rubocop\nError: invalid EnforcedStyle 'single' for Style/StringLiterals found in .rubocop.yml\nValid choices are: single_quotes, double_quotes")],
  ];
  it.each(cases)('%s', (_name, log) => {
    expect(analyzeFailure(log).playbookId).toBe('pb-env-002');
  });
});

describe('refusals that are not invalid configuration', () => {
  it('kubectl Forbidden is permissions, not a bad manifest', () => {
    const log = gitlabJob('bitnami/kubectl:1.29', '$ kubectl apply -f k8s/\nError from server (Forbidden): error when retrieving current configuration of:\nResource: "apps/v1, Resource=deployments"\ndeployments.apps "api" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "deployments" in API group "apps" in the namespace "prod"');
    expect(analyzeFailure(log).playbookId).toBe('unknown');
  });

  it('a pydantic field that is missing is an unset variable (pb-env-001)', () => {
    const log = gitlabJob('python:3.12', "$ python -m app\npydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\ndatabase_url\n  Field required [type=missing, input_value={}, input_type=dict]");
    expect(analyzeFailure(log).playbookId).toBe('pb-env-001');
  });
});

describe('pb-env-002: a configuration file every test loads', () => {
  it('appsettings.json that does not parse fails every test at start-up (.NET on TeamCity)', () => {
    const log = [
      '[10:00:01] : Step 2/2: Test (.NET)',
      '[10:00:01] : \t [Step 2/2] dotnet test tests/Api.Tests --no-build',
      '[10:00:03]E: \t [Step 2/2] Test(s) failed: Api.Tests.OrdersTests.Get_ReturnsOk',
      '[10:00:03]E: \t [Step 2/2] System.FormatException : Could not parse the JSON file.',
      "[10:00:03]E: \t [Step 2/2] ---- System.Text.Json.JsonReaderException : '}' is invalid after a property name. LineNumber: 9 | BytePositionInLine: 2.",
      '[10:00:03] : \t [Step 2/2]    at Microsoft.Extensions.Configuration.Json.JsonConfigurationFileParser.ParseStream(Stream input)',
      '[10:00:04] : \t [Step 2/2] Failed!  - Failed:    12, Passed:     0, Skipped:     0, Total:    12, Duration: 420 ms - Api.Tests.dll (net8.0)',
      '[10:00:04]E: Tests failed: 12, passed: 0',
    ].join('\n');
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-002');
    expect(diagnosis.candidates.map((candidate) => candidate.playbookId)).toContain('pb-test-000');
  });

  it("a linter's warning about its own config is survived: the offenses it then found fail the job", () => {
    const log = gitlabJob('ruby:3.3', `$ bundle exec rubocop --format progress
Warning: unrecognized cop or department RSpec/FilePath found in .rubocop_todo.yml
Inspecting 80 files
....C...W...

Offenses:

app/models/order.rb:12:7: W: Lint/UselessAssignment: Useless assignment to variable - total.

80 files inspected, 2 offenses detected`);
    expect(analyzeFailure(log).playbookId).toBe('pb-build-000');
  });
});
