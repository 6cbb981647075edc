import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-env-001 missing environment variable or secret', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['os.environ KeyError', gitlabJob('python:3.12', '$ python deploy.py\nTraceback (most recent call last):\n  File "/builds/x/deploy.py", line 5, in <module>\n    token = os.environ["SENTRY_AUTH_TOKEN"]\nKeyError: \'SENTRY_AUTH_TOKEN\''), 'SENTRY_AUTH_TOKEN'],
    ['bash set -u (masking must not hide it)', jenkinsStage('+ ./release.sh\n./release.sh: line 9: NPM_TOKEN: unbound variable'), 'NPM_TOKEN'],
    ['${VAR:?} in sh', gitlabJob('alpine:3.20', '$ ./push.sh\n./push.sh: line 3: REGISTRY_PASSWORD: parameter not set'), 'REGISTRY_PASSWORD'],
    ['node: custom message', githubStep('node scripts/sync.js', 'Error: Missing required environment variable: CONTENTFUL_TOKEN\n    at env (/home/runner/work/site/site/scripts/env.js:4:11)'), 'CONTENTFUL_TOKEN'],
    ['go: "is not set"', gitlabJob('golang:1.22', '$ go run ./cmd/migrate\n2024/06/01 10:00:00 config: environment variable DATABASE_URL is not set\nexit status 1'), 'DATABASE_URL'],
    ['AWS CLI without credentials', githubStep('aws s3 cp build s3://bucket --recursive', 'upload failed: build/index.html to s3://bucket/index.html Unable to locate credentials'), undefined],
    ['AWS SDK v3 without credentials', gitlabJob('node:20', '$ node upload.js\nCredentialsProviderError: Could not load credentials from any providers'), undefined],
    ['GitHub Action input', githubStep('actions/create-release@v1', 'Error: Input required and not supplied: token'), 'token'],
    ['Spring placeholder', jenkinsStage("+ java -jar app.jar\nCaused by: java.lang.IllegalArgumentException: Could not resolve placeholder 'STRIPE_SECRET' in value \"${STRIPE_SECRET}\""), 'STRIPE_SECRET'],
    ['pydantic settings under pytest', gitlabJob('python:3.12', '$ pytest\nE   pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\nE   redis_url\nE     Field required [type=missing, input_value={}, input_type=dict]'), undefined],
    ['terraform without a tfvar', githubStep('terraform plan', '│ Error: No value for required variable\n│\n│   on variables.tf line 1:\n│    1: variable "db_password" {'), undefined],
    ['t3-env / zod: a required variable', githubStep('npm run build', '❌ Invalid environment variables: { DATABASE_URL: [ \'Required\' ] }'), undefined],
    ['a list of missing variables', gitlabJob('node:20', '$ node check-env.js\nError: The following environment variables are missing: SMTP_HOST, SMTP_PASSWORD'), undefined],
    ['git over HTTPS without a token', jenkinsStage("+ git push origin HEAD:release\nfatal: could not read Username for 'https://github.com': No such device or address"), undefined],
    ['django', gitlabJob('python:3.12', "$ python manage.py migrate\ndjango.core.exceptions.ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable"), 'DJANGO_SECRET_KEY'],
  ];
  it.each(cases)('%s', (_name, log, variable) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-001');
    if (variable) expect(diagnosis.slots.variable).toBe(variable);
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe('pb-env-002 invalid configuration value or file', () => {
  const cases: Array<[string, string]> = [
    ['kubectl YAML error', gitlabJob('bitnami/kubectl', '$ kubectl apply -f deploy/\nerror: error parsing deploy/ingress.yaml: error converting YAML to JSON: yaml: line 14: did not find expected key')],
    ['docker compose schema', githubStep('docker compose up -d', "validating /home/runner/work/app/app/docker-compose.yml: services.db.ports must be a array")],
    ['tsconfig option', gitlabJob('node:20', "$ npx tsc\ntsconfig.json(5,5): error TS5023: Unknown compiler option 'moduleResolutionn'.")],
    ['webpack config schema', githubStep('npx webpack', '[webpack-cli] Invalid configuration object. Webpack has been initialized using a configuration object that does not match the API schema.\n - configuration.mode should be one of these:\n   "development" | "production" | "none"')],
    ['pydantic bad type', gitlabJob('python:3.12', "$ python -m app\npydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\nport\n  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='80a', input_type=str]")],
    ['Spring bind failure', jenkinsStage("+ java -jar app.jar\nFailed to bind properties under 'spring.datasource.hikari.maximum-pool-size' to int:\n\n    Reason: failed to convert java.lang.String to int")],
    ['TOML syntax (ruff)', gitlabJob('python:3.12', '$ ruff check .\nruff failed\n  Cause: Failed to parse /builds/x/pyproject.toml\n  Cause: TOML parse error at line 12, column 1')],
    ['GitLab CI lint', gitlabJob('alpine', "$ glab ci lint\n.gitlab-ci.yml is invalid\njobs:deploy config contains unknown keys: enviroment")],
    ['nginx config test', githubStep('nginx -t -c $PWD/nginx.conf', 'nginx: [emerg] unknown directive "proxy_passs" in /home/runner/work/x/x/nginx.conf:14\nnginx: configuration file /home/runner/work/x/x/nginx.conf test failed')],
    ['package.json is not JSON', githubStep('npm ci', 'npm ERR! code EJSONPARSE\nnpm ERR! JSON.parse Unexpected token } in JSON at position 412 while parsing near \'...": "^1.2.0",\n}\'')],
    ['a GitHub action version that does not exist', githubStep('actions/setup-node@v9', "Error: Unable to resolve action `actions/setup-node@v9`, unable to find version `v9`")],
    ['an image tag that does not exist', gitlabJob('node:20', '$ docker pull registry.example.com/acme/api:v9.9.9\nError response from daemon: manifest for registry.example.com/acme/api:v9.9.9 not found: manifest unknown: manifest unknown')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-002');
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe('pb-env-001: a cloud or platform CLI run without its login', () => {
  const cases: Array<[string, string]> = [
    ['Terraform AWS provider', gitlabJob('hashicorp/terraform:1.7', `$ terraform init -input=false
╷
│ Error: No valid credential sources found
│
│   with provider["registry.terraform.io/hashicorp/aws"],
│   on providers.tf line 12, in provider "aws":
│
│ Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded
╵`)],
    ['Azure CLI', githubStep('az webapp deploy --name api --src-path app.zip', "ERROR: Please run 'az login' to setup account.")],
    ['Azure SDK', gitlabJob('python:3.12', '$ python upload.py\nazure.core.exceptions.ClientAuthenticationError: DefaultAzureCredential failed to retrieve a token from the included credentials.\nAttempted credentials:\n\tEnvironmentCredential: EnvironmentCredential authentication unavailable. Environment variables are not fully configured.')],
    ['gcloud', jenkinsStage('+ gcloud run deploy api --image gcr.io/acme/api:1.4 --region europe-west1\nERROR: (gcloud.run.deploy) You do not currently have an active account selected.\nPlease run:\n\n  $ gcloud auth login')],
    ['Google client library', githubStep('python export.py', 'google.auth.exceptions.DefaultCredentialsError: Your default credentials were not found. To set up Application Default Credentials, see https://cloud.google.com/docs/authentication/external/set-up-adc for more information.')],
    ['kubectl without a kubeconfig', gitlabJob('bitnami/kubectl:1.29', '$ kubectl apply -f k8s/\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?')],
    ['cargo publish', githubStep('cargo publish', 'error: no token found, please run `cargo login`\nor use environment variable CARGO_REGISTRY_TOKEN')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-001');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('authenticated but not permitted is not a missing secret', () => {
    const ecr = githubStep('docker push 1234.dkr.ecr.eu-west-1.amazonaws.com/api:1.4', 'The push refers to repository [1234.dkr.ecr.eu-west-1.amazonaws.com/api]\ndenied: User: arn:aws:sts::1234:assumed-role/gha-readonly/GitHubActions is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-1:1234:repository/api');
    expect(analyzeFailure(ecr).playbookId).toBe('unknown');
  });
});

describe('pb-env-001: a secret the CI server or the build was never given', () => {
  const cases: Array<[string, string, string]> = [
    ['Jenkins: no credential under that id', jenkinsStage("[Pipeline] withCredentials\n[Pipeline] // withCredentials\nERROR: Could not find credentials entry with ID 'sonar-token'"), 'sonar-token'],
    ['Azure DevOps: service connection missing', githubStep('AzureCLI@2', "##[error]The pipeline is not valid. Job Deploy: Step AzureCLI input connectedServiceNameARM references service connection prod-arm which could not be found. The service connection does not exist, has been disabled or has not been authorized for use."), 'prod-arm'],
    ['Android release signing without its password', gitlabJob('cimg/android:2024.04.1', `$ ./gradlew :app:bundleRelease
> Task :app:signReleaseBundle FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':app:signReleaseBundle'.
> A failure occurred while executing com.android.build.gradle.internal.tasks.FinalizeBundleTask$BundleToolRunnable
   > SigningConfig "release" is missing required property "keyPassword".`), 'keyPassword'],
  ];
  it.each(cases)('%s', (_name, log, variable) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-env-001');
    expect(diagnosis.slots.variable).toBe(variable);
    expect(diagnosis.autoFix).toBeUndefined();
  });
});
