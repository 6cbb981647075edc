import { anyOf, NPM_ERR, signal, slotsOf } from './signal.js';
import type { Detector, Playbook } from './types.js';

const ENV_NAME = '[A-Z][A-Z0-9_]{2,100}';
// Case-insensitive by hand: a global `i` flag would let ENV_NAME match ordinary lowercase words.
const KIND = '(?:[Ee]nvironment [Vv]ariable|[Ee]nv(?:ironment)? [Vv]ar(?:iable)?|ENV(?:IRONMENT)? VAR(?:IABLE)?|[Vv]ariable|[Ss]ecret|[Ii]nput)s?:?';
const variable = (index: number) => (m: RegExpExecArray) => slotsOf({ variable: m[index] });

// Environment schema validators (t3-env, envalid, znv) print a header, then one variable per line.
const ENV_SCHEMA_HEADER = /(Invalid|Missing) environment variables?:?/;
// `DATABASE_URL: [ 'Required' ]` (zod), `Invalid input: expected string, received undefined` (zod 4), `is missing`, `undefined`.
const UNSET_FIELD = new RegExp(
  `^\\s*['"]?(${ENV_NAME})['"]?: (?:\\[ ?)?['"]?(?:Required|Invalid input: expected \\w{1,20}, received undefined|undefined|(?:is )?(?:missing|required|not set))\\b`,
);
const LISTED_FIELD = new RegExp(`^\\s+['"]?(${ENV_NAME})['"]?:`);
const SCHEMA_LINES = 12;

/** A validator that lists variables with no value: missing, whatever its header calls them (`Invalid environment variables`). */
const envSchemaUnset: Detector = {
  name: 'env-schema-unset',
  detect(lines) {
    const header = lines.findIndex((line) => ENV_SCHEMA_HEADER.test(line));
    if (header === -1) return [];
    // Under `Missing ...` every listed variable is unset; under `Invalid ...` only those whose message says so.
    const field = ENV_SCHEMA_HEADER.exec(lines[header] ?? '')?.[1] === 'Missing' ? LISTED_FIELD : UNSET_FIELD;
    for (let lineIndex = header + 1; lineIndex < Math.min(lines.length, header + 1 + SCHEMA_LINES); lineIndex += 1) {
      const name = field.exec(lines[lineIndex] ?? '')?.[1];
      if (name) return [{ signal: this.name, weight: 0.88, lineIndex, slots: { variable: name } }];
    }
    return [];
  },
};

export const missingVariable: Playbook = {
  id: 'pb-env-001',
  title: 'Missing environment variable or secret',
  risk: 'medium',
  explains: ['pb-test-000', 'pb-env-002'],
  signals: [
    signal('python-keyerror-env', new RegExp(`\\bKeyError: ['"](${ENV_NAME})['"]`), 0.82, variable(1)),
    signal('shell-unbound-variable', new RegExp(`\\b(${ENV_NAME}): (?:unbound variable|parameter (?:null or )?not set)`, 'i'), 0.9, variable(1)),
    signal(
      'variable-not-set',
      new RegExp(`${KIND} [\`'"]?\\$?(${ENV_NAME})[\`'"]? (?:is |was )?(?:not set|missing|required|undefined|not defined|empty|must be (?:set|defined|provided))`),
      0.85,
      variable(1),
    ),
    signal('missing-variable', new RegExp(`(?:[Mm]issing|[Rr]equired|[Uu]ndefined|[Uu]nset|[Nn]o value for)(?: required)? ${KIND}:? [\`'"]?\\$?(${ENV_NAME})`), 0.85, variable(1)),
    signal('variables-are-missing', new RegExp(`(?:variables?|secrets?) (?:are|is) (?:missing|not set|undefined|required):? [\`'"]?\\$?(${ENV_NAME})`), 0.85, variable(1)),
    signal('name-env-variable-missing', new RegExp(`\\b(${ENV_NAME}) (?:environment variable|env var|variable|secret) (?:is )?(?:not set|missing|required|undefined|empty|must be set)`), 0.85, variable(1)),
    signal('named-variable-not-set', new RegExp(`[\`'"$](${ENV_NAME})[\`'"]? (?:is not set|is unset|is empty|must be set|is required|not found in (?:the )?environment)`), 0.75, variable(1)),
    signal('python-decouple', /UndefinedValueError: (\w{1,100}) not found\. Declare it as envvar/, 0.9, variable(1)),
    signal('django-improperly-configured', /ImproperlyConfigured: (?:Set the (\w{1,100}) environment variable|The (\w{1,100}) setting must not be empty)/, 0.88, (m) => slotsOf({ variable: m[1] ?? m[2] })),
    signal('spring-placeholder', /Could not resolve placeholder '([\w.-]{1,200})' in (?:value|string value)/, 0.85, variable(1)),
    signal('pydantic-field-required', /^\s*Field required \[type=missing/, 0.8),
    signal('envconfig-required', /required key (\w{1,100}) missing value/, 0.88, variable(1)),
    signal('terraform-no-value', /No value for required variable|Error: No value for required variable/, 0.85),
    signal('github-input-required', /Input required and not supplied: (\S{1,100})/, 0.88, variable(1)),
    signal('github-token-required', /Parameter token or opts\.auth is required/, 0.85, () => slotsOf({ variable: 'GITHUB_TOKEN' })),
    signal('aws-no-credentials', /Unable to locate credentials|NoCredentialsError|Could not load credentials from any providers|CredentialsProviderError/, 0.85, () =>
      slotsOf({ variable: 'AWS credentials' }),
    ),
    // Cloud and platform CLIs run without their login: Terraform's AWS provider, Azure, GCP, kubectl, and deploy/publish tools.
    signal(
      'cloud-cli-not-logged-in',
      anyOf([
        /No valid credential sources found|failed to refresh cached credentials, no EC2 IMDS role found/,
        /Please run 'az login' to setup account|DefaultAzureCredential failed to retrieve a token|EnvironmentCredential authentication unavailable/,
        /could not find default credentials|Your default credentials were not found|You do not currently have an active account selected/,
        /The connection to the server localhost:8080 was refused - did you specify the right host or port\?|You must be logged in to the server/,
        /No access token available\. Please login with|Failed to authenticate, have you run firebase login|no token found, please run `cargo login`/,
        /Auth token is required for this request|set the GH_TOKEN environment variable|Required token could not be found|\bno basic auth credentials\b/,
      ]),
      0.84,
    ),
    // Azure AD refusing the client secret: set, but wrong or expired.
    signal('azure-secret-refused', /\bAADSTS(?:7000215|7000222|700024|700016)\b|Invalid or non-existent authentication information/, 0.7),
    signal('docker-login-non-tty', /Cannot perform an interactive login from a non TTY device/, 0.75),
    signal('npm-needs-auth', new RegExp(`${NPM_ERR} (?:code ENEEDAUTH|need auth)`), 0.78),
    signal('vercel-no-credentials', /No existing credentials found\. Please run `vercel login`/, 0.8, () => slotsOf({ variable: 'VERCEL_TOKEN' })),
    signal('zod-env-required', /Invalid environment variables?:?[^\n]{0,300}\bRequired\b/, 0.85),
    signal('jwt-secret-empty', /secretOrPrivateKey must have a value/, 0.8),
    signal('git-no-credentials', /could not read Username for 'https?:\/\/|Permission denied \(publickey(?:,[\w-]{1,40}){0,4}\)|terminal prompts disabled/, 0.75),
    // The signing identity comes from a secret the job did not install (keychain, keystore).
    signal(
      'code-signing-missing',
      anyOf([
        /No signing certificate "[^"]{1,100}" found|No profiles for '[^']{1,200}' were found|requires a provisioning profile/,
        /Keystore file '[^']{1,300}' not found for signing|SigningConfig "[^"]{1,100}" is missing required property "(\w{1,60})"/, // Android Gradle plugin
      ]),
      0.78,
      (m) => slotsOf({ variable: m[1] }),
    ),
    // The CI server has no stored credential under the id the pipeline asks for: Jenkins (credentials binding, ssh-agent), Azure DevOps service connections.
    signal(
      'ci-credentials-not-found',
      anyOf([
        /Could not find credentials entry with ID '([^'\n]{1,200})'|Could not find credentials matching (\S{1,200})|\bCredentialNotFoundException\b/,
        /references service connection (\S{1,200}) which could not be found/,
      ]),
      0.85,
      (m) => slotsOf({ variable: m[1] ?? m[2] ?? m[3] }),
    ),
    // Framework keys and secrets by their own names: Rails credentials, Laravel, Symfony, dotenv-safe, Rust's env::var, Kubernetes secrets.
    signal(
      'framework-secret-missing',
      anyOf([
        /Missing encryption key to decrypt file with|ActiveSupport::EncryptedFile::MissingKeyError|No application encryption key has been specified/,
        /Environment variable not found: "(\w{1,100})"|MissingEnvVarsError|environment variable not found\b|\bVarError\b[^\n]{0,40}NotPresent/,
        /\bsecret "([\w.-]{1,200})" not found|couldn't find key (\w{1,200}) in Secret/,
      ]),
      0.82,
      (m) => slotsOf({ variable: m[1] ?? m[2] ?? m[3] }),
    ),
    // A service container (postgres, mysql, mariadb images) that refuses to start without its password: every test needing it then fails.
    signal(
      'service-password-unset',
      /Database is uninitialized and (?:superuser )?password (?:option )?is not specified|You must specify (\w{1,100}) to a non-empty value/,
      0.9,
      (m) => slotsOf({ variable: m[1] ?? 'the service password' }),
    ),
    // docker/login-action with empty `username`/`password` inputs: the secrets it reads are not set for this job.
    signal('login-inputs-empty', /^Username and password required\b/, 0.85, () => slotsOf({ variable: 'registry username and password' })),
    signal('rails-secret-key-base', /Missing `secret_key_base`/, 0.85, () => slotsOf({ variable: 'SECRET_KEY_BASE' })),
    // Credentials present but refused: a wrong or expired secret more often than a bug.
    signal('registry-unauthorized', /unauthorized: (?:authentication required|incorrect username or password)|denied: requested access to the resource is denied/, 0.55),
    signal('git-auth-failed', /HTTP Basic: Access denied|remote: Invalid username or password|Authentication failed for '/, 0.6),
    signal('api-bad-credentials', /\bBad credentials\b|\b401 Unauthorized\b|InvalidClientTokenId|The security token included in the request is (?:invalid|expired)|ExpiredToken/, 0.55),
    signal('npm-e401', new RegExp(`${NPM_ERR} code E401`), 0.6),
  ],
  detectors: [envSchemaUnset],
  summary: (slots) =>
    slots.variable
      ? `The job needs \`${slots.variable}\`, which is not set (or not available to this job).`
      : 'The job needs an environment variable or secret that is not set, or whose value was refused.',
  remediation: (slots) => [
    `Define \`${slots.variable ?? 'the variable'}\` in the project's CI/CD variables (Settings > CI/CD > Variables), masked if it is a secret.`,
    'Protected variables reach only protected branches and tags: unprotect it or run the job on a protected ref.',
    'If it is set, check the job\'s environment scope and that the value (token, key) is still valid.',
  ],
};
