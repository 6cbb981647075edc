import { anyOf, NPM_ERR, signal, slotsOf } from './signal.js';
import { MORE_CONFIGURATION_SIGNALS } from './configuration-more.js';
import { isProjectPackage } from './python-modules.js';
import type { Playbook } from './types.js';

const projectNotImportable = (module: string): string[] => [
  `Install the project before its tests run (\`pip install -e .\`), or put the folder holding \`${module}\` on the path (pytest's \`pythonpath = ["src"]\`, or PYTHONPATH).`,
  `With a src/ layout, check the build configuration finds \`${module}\` (e.g. \`[tool.setuptools.packages.find] where = ["src"]\`); do not add it to requirements: it is not a PyPI package.`,
];

export const invalidConfiguration: Playbook = {
  id: 'pb-env-002',
  title: 'Invalid configuration value or file',
  risk: 'medium',
  explains: ['pb-test-000', 'pb-build-000', 'pb-infra-001'],
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
          // .NET's configuration providers (appsettings.json) name only the format; every test building the host fails on it.
          /(?:failed to|cannot|could not|unable to) parse the (?:JSON|XML|INI) file\b|\bMicrosoft\.Extensions\.Configuration\.\w{1,40}\.\w{1,60}ConfigurationFileParser\b/,
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
    signal('pydantic-type-error', /^\s*Input should be |^\s*(?:value is not a valid|value could not be parsed)/, 0.78),
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
    // Its files are there (the repository or src/ is named after it), so Python is not told where: packaging or path.
    signal('python-project-not-importable', /\bNo module named '?([A-Za-z_]\w{0,100})(?![\w.])/, 0.86, (m, context) =>
      isProjectPackage(m[1] ?? '', context.projectPackages) ? slotsOf({ module: m[1], tool: 'python' }) : null,
    ),
    ...MORE_CONFIGURATION_SIGNALS,
  ],
  summary: (slots) =>
    slots.module
      ? `The project's own package \`${slots.module}\` cannot be imported: it is neither installed nor on the Python path.`
      : `A configuration ${slots.file ? `file (\`${slots.file}\`)` : slots.variable ? `value (\`${slots.variable}\`)` : 'value or file'} is invalid: it does not parse or is not allowed.`,
  remediation: (slots) =>
    slots.module
      ? projectNotImportable(slots.module)
      : [
          `Fix ${slots.file ? `\`${slots.file}\`` : slots.variable ? `\`${slots.variable}\`` : 'the file or value'} at the line the error names; validate it locally (a YAML/JSON linter, \`kubectl --dry-run=server\`, \`terraform validate\`, the CI Lint tool).`,
          'If the value comes from a CI/CD variable, check its type and format (numbers, URLs, ports) in Settings > CI/CD > Variables.',
        ],
};
