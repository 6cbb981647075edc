import { anyOf, NPM_ERR, signal, slotsOf } from './signal.js';
import type { Playbook } from './types.js';

const ENV_NAME = '[A-Z][A-Z0-9_]{2,100}';
// Case-insensitive by hand: a global `i` flag would let ENV_NAME match ordinary lowercase words.
const KIND = '(?:[Ee]nvironment [Vv]ariable|[Ee]nv(?:ironment)? [Vv]ar(?:iable)?|ENV(?:IRONMENT)? VAR(?:IABLE)?|[Vv]ariable|[Ss]ecret|[Ii]nput)s?:?';
const variable = (index: number) => (m: RegExpExecArray) => slotsOf({ variable: m[index] });

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
    signal('docker-login-non-tty', /Cannot perform an interactive login from a non TTY device/, 0.75),
    signal('npm-needs-auth', new RegExp(`${NPM_ERR} (?:code ENEEDAUTH|need auth)`), 0.78),
    signal('vercel-no-credentials', /No existing credentials found\. Please run `vercel login`/, 0.8, () => slotsOf({ variable: 'VERCEL_TOKEN' })),
    signal('zod-env-required', /Invalid environment variables?:?[^\n]{0,300}\bRequired\b/, 0.85),
    signal('jwt-secret-empty', /secretOrPrivateKey must have a value/, 0.8),
    signal('git-no-credentials', /could not read Username for 'https?:\/\/|Permission denied \(publickey(?:,[\w-]{1,40}){0,4}\)|terminal prompts disabled/, 0.75),
    // The signing identity comes from a secret the job did not install (keychain, keystore).
    signal('code-signing-missing', /No signing certificate "[^"]{1,100}" found|No profiles for '[^']{1,200}' were found|requires a provisioning profile|Keystore file '[^']{1,300}' not found for signing/, 0.78),
    signal('rails-secret-key-base', /Missing `secret_key_base`/, 0.85, () => slotsOf({ variable: 'SECRET_KEY_BASE' })),
    // Credentials present but refused: a wrong or expired secret more often than a bug.
    signal('registry-unauthorized', /unauthorized: (?:authentication required|incorrect username or password)|denied: requested access to the resource is denied/, 0.55),
    signal('git-auth-failed', /HTTP Basic: Access denied|remote: Invalid username or password|Authentication failed for '/, 0.6),
    signal('api-bad-credentials', /\bBad credentials\b|\b401 Unauthorized\b|InvalidClientTokenId|The security token included in the request is (?:invalid|expired)|ExpiredToken/, 0.55),
    signal('npm-e401', new RegExp(`${NPM_ERR} code E401`), 0.6),
  ],
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

export const invalidConfiguration: Playbook = {
  id: 'pb-env-002',
  title: 'Invalid configuration value or file',
  risk: 'medium',
  explains: ['pb-test-000', 'pb-build-000'],
  signals: [
    signal(
      'yaml-syntax',
      anyOf([
        /\byaml: line \d{1,7}: |YAMLException|yaml\.(?:scanner|parser|constructor|composer)\.\w{0,40}Error|YAML parse error on/,
        /mapping values are not allowed in this context|could not find expected ':'|found character that cannot start any token/,
        /did not find expected (?:key|node content|'-' indicator)/,
      ]),
      0.82,
    ),
    signal(
      'config-file-parse',
      anyOf(
        [
          /error parsing (\S{1,300}\.(?:ya?ml|json|toml|ini|cfg|conf))/,
          /(?:failed to|cannot|could not|unable to) (?:parse|load|read) (?:config(?:uration)?(?: file)? ['"`]?(\S{1,300})|['"`]?(\S{1,300}\.(?:toml|ya?ml|ini|cfg|conf|properties)\b))/,
        ],
        'i',
      ),
      0.75,
      (m) => slotsOf({ file: m[1] ?? m[2] ?? m[3] }),
    ),
    signal('toml-or-ini-syntax', /TOMLDecodeError|toml\.decoder|Invalid TOML|TOML parse error|configparser\.(?:ParsingError|MissingSectionHeaderError|DuplicateSectionError)/, 0.78),
    signal('package-json-invalid', new RegExp(`${NPM_ERR} (?:code EJSONPARSE|JSON\\.parse)`), 0.82, () => slotsOf({ file: 'package.json' })),
    signal('webpack-invalid-config', /Invalid configuration object\. Webpack has been initialized|Invalid options object\./, 0.85),
    signal('tsconfig-invalid', /error TS(?:5\d{3}|6\d{3}|18003):/, 0.8, () => slotsOf({ file: 'tsconfig.json' })),
    signal('pydantic-type-error', /^\s*Input should be (?:a valid|greater|less|one of)|^\s*(?:value is not a valid|value could not be parsed)/, 0.78),
    signal('spring-bind-failure', /Failed to bind properties under '([\w.-]{1,200})'/, 0.9, (m) => slotsOf({ variable: m[1] })),
    signal('cli-invalid-value', /Invalid value for ['"`]?(--?[\w-]{1,60}|[\w-]{1,60})['"`]?|invalid (?:value|argument) "?[^"\n]{0,80}"? for "?(--?[\w-]{1,60})/, 0.7, (m) => slotsOf({ variable: m[1] ?? m[2] })),
    signal('unknown-option', /\b(?:Unknown|Unrecognized|unrecognized) (?:compiler )?(?:option|argument|arguments|flag|key|field|property)s?:? ['"`-]{0,2}[\w.-]{1,60}|unknown flag: --[\w-]{1,60}|Unknown compiler option/, 0.62),
    signal(
      'ci-config-invalid',
      anyOf([
        /This GitLab CI configuration is invalid|\.gitlab-ci\.yml is invalid|config contains unknown keys/,
        /jobs:[\w:.-]{1,100} (?:config|script|rules|only|except|needs)\b[^\n]{0,100}?(?:should|contains|may not|must|unknown|invalid)/,
        /Invalid workflow file|Unrecognized named-value|The workflow is not valid/,
      ]),
      0.88,
    ),
    signal('compose-invalid', /services\.[\w-]{1,100}\.[\w.-]{1,100} (?:contains an invalid type|must be a|Additional property [\w-]{1,100} is not allowed)|validating [^\n]{1,200}: (?:services|volumes|networks)\.\S{1,100} /, 0.82),
    signal('kubernetes-invalid', /error validating "[^"]{1,300}": error validating data|error converting YAML to JSON|strict decoding error: unknown field/, 0.8),
    signal('terraform-invalid-value', /Error: Invalid value for (?:variable|input variable|module argument)|Error: Unsupported argument|Error: Invalid (?:reference|block definition)/, 0.75),
    signal('eslint-no-config', /ESLint couldn't find a configuration file|No ESLint configuration found|Cannot find config file|could not find (?:a )?config(?:uration)? file/i, 0.75),
    signal('invalid-url-or-port', /ERR_INVALID_URL|TypeError: Invalid URL|ERR_SOCKET_BAD_PORT|Invalid port|invalid connection string|Invalid URI/i, 0.7),
    signal('env-invalid', /Invalid environment variables?\b/, 0.75),
    signal('tls-verification', /unable to get local issuer certificate|self[- ]signed certificate in certificate chain|SSL certificate problem|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate verify failed/, 0.6),
    signal('action-unresolvable', /Unable to resolve action `[^`]{1,200}`|Can't find 'action\.ya?ml'/, 0.8),
    signal('pip-externally-managed', /error: externally-managed-environment/, 0.75),
    signal('nginx-emerg', /nginx: \[emerg\]/, 0.8),
    signal('inotify-limit', /ENOSPC: System limit for number of file watchers reached/, 0.7),
    signal('image-not-found', /manifest unknown|manifest for \S{1,300} not found|pull access denied for|repository does not exist or may require 'docker login'|invalid reference format/, 0.7),
    signal('python-bad-literal', /ValueError: invalid literal for int\(\) with base 10/, 0.5),
  ],
  summary: (slots) =>
    `A configuration ${slots.file ? `file (\`${slots.file}\`)` : slots.variable ? `value (\`${slots.variable}\`)` : 'value or file'} is invalid: it does not parse or is not allowed.`,
  remediation: (slots) => [
    `Fix ${slots.file ? `\`${slots.file}\`` : slots.variable ? `\`${slots.variable}\`` : 'the file or value'} at the line the error names; validate it locally (a YAML/JSON linter, \`kubectl --dry-run=server\`, \`terraform validate\`, the CI Lint tool).`,
    'If the value comes from a CI/CD variable, check its type and format (numbers, URLs, ports) in Settings > CI/CD > Variables.',
  ],
};
