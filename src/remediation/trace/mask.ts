import { MASK } from './mask-token.js';
import { maskPrivateKeys } from './private-keys.js';

export { MASK };

export interface MaskResult {
  text: string;
  /** How many secrets were masked, by kind (e.g. `gitlab-token: 2`); never the secrets themselves. */
  counts: Record<string, number>;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Replacement for one match; returning the match unchanged means "looked like one, was not". */
  replace: (match: string, ...groups: string[]) => string;
}

const whole = (): string => MASK;

// Values that are references or placeholders, not secrets: `$DB_PASSWORD`, `${{ secrets.X }}`, `<token>`, `***`.
// Error messages put words where values go (`DEPLOY_TOKEN: unbound variable`, `X_PASSWORD: parameter not set`).
const NOT_A_SECRET = /^(?:\$|%|<|\*+$|\[MASKED\]|(?:null|none|nil|true|false|undefined|unbound|unset|missing|required|empty|invalid|expired|not|parameter)$|""$|''$)/i;
const unlessPlaceholder = (prefix: string, value: string): string => (NOT_A_SECRET.test(value) ? prefix + value : prefix + MASK);
const unquoted = (value: string): string => value.replace(/^(["'])(.*)\1$/, '$2');

// A value after `=`/`:`: quoted, or bare up to whitespace or a separator. Bounded, so no rescans.
const VALUE = `\\[MASKED\\]|"[^"\\n]{1,1024}"|'[^'\\n]{1,1024}'|[^\\s"',;&)}\\]]{1,1024}`;
// Key names that end in one of these hold secrets (DB_PASSWORD, GITLAB_TOKEN, x-api-key, _authToken).
const SECRET_KEY =
  'password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|' +
  'shared[_-]?access[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|client[_-]?secret|credentials?|_auth|signature|sig';

const RULES: Rule[] = [
  {
    kind: 'url-credentials',
    // scheme://user:password@host - postgres, mysql, mongodb+srv, redis, amqp, https basic auth...
    pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/?#"'<>]{0,256}:)([^\s@/?#"'<>]{1,512})@/gi,
    replace: (_match, prefix = '', password = '') => `${unlessPlaceholder(prefix, password)}@`,
  },
  { kind: 'gitlab-token', pattern: /\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent|wt|ffct|rtr)-[A-Za-z0-9_.-]{20,255}/g, replace: whole },
  { kind: 'gitlab-runner-token', pattern: /\bGR1348941[A-Za-z0-9_-]{20,255}/g, replace: whole },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/g, replace: whole },
  { kind: 'slack-token', pattern: /\b(?:xox[abposre]-[A-Za-z0-9-]{10,255}|xapp-\d-[A-Za-z0-9-]{10,255})/g, replace: whole },
  { kind: 'slack-webhook', pattern: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{10,255}/g, replace: () => `hooks.slack.com/${MASK}` },
  { kind: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,255}/g, replace: whole },
  { kind: 'openai-key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,255}/g, replace: whole },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g, replace: whole },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: whole },
  { kind: 'stripe-key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}/g, replace: whole },
  { kind: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: whole },
  { kind: 'pypi-token', pattern: /\bpypi-[A-Za-z0-9_-]{50,512}/g, replace: whole },
  { kind: 'docker-token', pattern: /\bdckr_pat_[A-Za-z0-9_-]{20,255}/g, replace: whole },
  { kind: 'huggingface-token', pattern: /\bhf_[A-Za-z0-9]{30,255}/g, replace: whole },
  { kind: 'sendgrid-key', pattern: /\bSG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g, replace: whole },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{10,4096}/g, replace: whole },
  {
    kind: 'authorization-header',
    pattern: /\b((?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:basic|bearer|token|digest|negotiate|aws4-hmac-sha256)?[ \t]*)([^\s"',]{4,4096})/gi,
    replace: (_match, prefix = '', value = '') => unlessPlaceholder(prefix, value),
  },
  {
    kind: 'bearer-token',
    pattern: /\b(bearer[ \t]+)([A-Za-z0-9._~+/=-]{8,4096})/gi,
    // "Bearer authentication required" is prose: a token has a digit or is long.
    replace: (match, prefix = '', value = '') => (/\d/.test(value) || value.length >= 24 ? unlessPlaceholder(prefix, value) : match),
  },
  {
    kind: 'cli-secret-flag',
    pattern: /(?<![\w-])(--?(?:password|passwd|pass|token|secret|api-key|apikey|access-token|auth-token|client-secret|private-key|secret-key)(?:[ \t]+|=))(?!-)("[^"\n]{1,1024}"|'[^'\n]{1,1024}'|[^\s"']{1,1024})/gi,
    replace: (_match, prefix = '', value = '') => unlessPlaceholder(prefix, unquoted(value)),
  },
  {
    kind: 'docker-login-password',
    pattern: /(\bdocker[ \t]+login\b[^\n]{0,200}?[ \t]-p[ \t]+)([^\s]{1,1024})/gi,
    replace: (_match, prefix = '', value = '') => unlessPlaceholder(prefix, value),
  },
  {
    kind: 'curl-user',
    pattern: /((?:^|[ \t])(?:-u|--user)[ \t]+["']?[^\s:"']{1,256}:)([^\s"']{1,1024})/g,
    replace: (_match, prefix = '', value = '') => unlessPlaceholder(prefix, value),
  },
  {
    kind: 'secret-assignment',
    // `DB_PASSWORD=x`, `"password": "x"`, `token: x`, `?access_token=x&`, `Password=x;` (ADO.NET).
    pattern: new RegExp(`(?<!unexpected )((?:${SECRET_KEY})["']?[ \\t]*[:=][ \\t]*)(${VALUE})`, 'gi'),
    replace: (_match, prefix = '', value = '') => {
      const inner = unquoted(value);
      if (NOT_A_SECRET.test(inner)) return prefix + value;
      return value === inner ? prefix + MASK : prefix + value[0] + MASK + value[0];
    },
  },
];

const captureGroupCount = (pattern: RegExp): number => (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;

/**
 * Masks every secret shape we know of. Idempotent; masks only values, keeping key names,
 * URL users and hosts, so the text still explains what failed.
 */
export function maskSecrets(text: string): MaskResult {
  const counts: Record<string, number> = {};
  const keys = maskPrivateKeys(text);
  if (keys.count > 0) counts['private-key'] = keys.count;
  let masked = keys.text;
  for (const rule of RULES) {
    const groupCount = captureGroupCount(rule.pattern);
    masked = masked.replace(rule.pattern, (match: string, ...args: unknown[]) => {
      const captured = args.slice(0, groupCount).map((group) => (typeof group === 'string' ? group : ''));
      const replacement = rule.replace(match, ...captured);
      if (replacement !== match) counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      return replacement;
    });
  }
  return { text: masked, counts };
}
