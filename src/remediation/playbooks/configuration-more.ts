import { anyOf, signal, slotsOf } from './signal.js';
import type { Signal } from './types.js';

/**
 * A value or file that parses but is refused: a schema, an API server, a typed settings loader or a
 * tool's own option validation says it is the wrong type, shape or name.
 */
export const MORE_CONFIGURATION_SIGNALS: readonly Signal[] = [
  // JSON Schema validators: Helm values.schema.json, gojsonschema, ajv (serverless, renovate), check-jsonschema.
  signal(
    'schema-validation',
    anyOf([
      /values don't meet the specifications of the schema|Schema validation errors were encountered|Config does not conform to schema/,
      /Invalid type\. Expected: \w{1,20}, given: \w{1,20}|Does not match pattern '|Must validate (?:one and only one|all the) schemas?/,
      /must have required property '[^']{1,100}'|\bmust be (?:integer|string|number|boolean|object|array|equal to one of the allowed values)\b/,
      /Configuration error at '[^']{1,200}'|ERROR IN CONFIG FILE:|There is an error in your bitbucket-pipelines\.yml/,
      /\(Line: \d{1,6}, Col: \d{1,4}\): (?:Unexpected value|A mapping was not expected|A sequence was not expected|Expected a mapping|Unexpected symbol)/, // Azure Pipelines
    ]),
    0.82,
  ),
  // The Kubernetes API server refusing a manifest (not refusing the caller: Forbidden is permissions).
  signal(
    'kubernetes-rejected',
    anyOf([
      /Error from server \((?:BadRequest|Invalid)\)|cannot be handled as an? \w{1,60}:|\bValidationError\(\w{1,60}[.)]/,
      /is invalid: [\w.[\]-]{1,200}: (?:Invalid value|Required value|Unsupported value|Duplicate value)/,
      /no matches for kind "\w{1,60}" in version|unable to recognize "[^"]{1,300}": no matches for kind/,
      /Error: (?:INSTALLATION|UPGRADE) FAILED: (?:unable to build kubernetes objects|YAML parse error|template: |parse error)|^Error: template: \S{1,300}:\d{1,6}:\d{1,6}: executing/,
    ]),
    0.8,
  ),
  // Typed decoding of configuration: Go (encoding/json, yaml.v3, envconfig, strconv), serde, .NET options.
  signal(
    'config-decode',
    anyOf([
      /json: cannot unmarshal \w{1,20} into Go (?:struct field|value of type)|yaml: unmarshal errors:|cannot unmarshal !!\w{1,10} /,
      /envconfig\.Process: assigning|strconv\.Parse(?:Int|Uint|Bool|Float|Duration)?: parsing "[^"]{0,100}": invalid syntax|time: invalid duration "/,
      /invalid type: \w{1,20}(?: "[^"]{0,80}"| `[^`]{0,80}`)?, expected |unknown (?:variant|field) `[^`]{1,100}`, expected /,
      /Failed to convert configuration value|\bOptionsValidationException\b|\bEnvValidationError\b/,
    ]),
    0.78,
  ),
  // pydantic v2 `[type=int_parsing, input_value=...]` (not `missing`: that is an unset variable) and v1 `(type=type_error.integer)`.
  signal('pydantic-invalid-value', /\[type=(?!missing\b)[a-z_]{1,60}, input_value=|\(type=(?:type_error|value_error)\.(?!missing\b)[\w.]{1,60}/, 0.8),
  signal('config-validation-error', /\bConfig(?:uration)? validation (?:error|failed)\b|\bInvalid (?:config(?:uration)?|settings)(?: file)?:/i, 0.78),
  // Linters' and build tools' own configuration: ESLint (eslintrc and flat), Jest, Prettier, Stylelint, mypy, RuboCop, golangci-lint, Vite.
  signal(
    'tool-config-invalid',
    anyOf([
      /Configuration for rule "[^"]{1,100}" is invalid|ESLint configuration in \S{1,300} is invalid|(?:^\s*|Error: )Key "[\w-]{1,60}": (?:Key "[^"]{1,100}": )*(?:Unexpected key|Value [^\n]{1,100} is invalid|Expected )/,
      /● Validation Error:|^\[error\] Invalid \w{1,40} value\.|Invalid configuration (?:file|for file)|Invalid Option: Unexpected option value/,
      /\.ini: \[[^\]]{1,100}\]: Unrecognized option|unrecognized cop or department|obsolete (?:parameter|configuration|cop) /i,
      /^Error: invalid \w{1,60} '[^'\n]{0,100}' for [\w/]{1,100} found in \S{1,300}/, // RuboCop: a parameter value the cop does not accept
      /Error: can't load config: |failed to load config from \S{1,300}|unknown linters?: /,
      /Error code '\w{1,20}' supplied to '\w{1,40}' option does not match/, // flake8
    ]),
    0.8,
  ),
  // A service container (redis, postgres, mysql) that exits on its own configuration: the job then cannot reach or even resolve it.
  signal(
    'service-config-fatal',
    anyOf([
      /\*\*\* FATAL CONFIG FILE ERROR \(Redis|\bFATAL: {1,2}(?:invalid value for parameter|unrecognized configuration parameter) "|configuration file "[^"\n]{1,300}" contains errors/,
      /\[ERROR\] (?:\[MY-\d{6}\] \[Server\] )?(?:unknown variable|unknown option) '/,
    ]),
    0.88,
  ),
  signal('dockerfile-parse', /[Dd]ockerfile parse error (?:on )?line \d{1,6}|unknown instruction: [A-Z]{2,20}/, 0.8),
  signal('jenkinsfile-invalid', /MultipleCompilationErrorsException: startup failed|^WorkflowScript: \d{1,6}: /, 0.8),
  signal('ansible-syntax', /ERROR! (?:Syntax Error while loading YAML|'\w{1,60}' is not a valid attribute for a|conflicting action statements)/, 0.8),
  signal('argparse-invalid', /error: argument [\w/ -]{1,60}: invalid (?:\w{1,20} value: '|choice: ')/, 0.72, () => slotsOf({ tool: 'argparse' })),
];
