import { CALENDAR_WORDS, ENVIRONMENT_WORDS, NAMED_ENVIRONMENTS, NON_SERVICE_NOUNS, SERVICE_MARKERS, STOPWORDS, TOOL_WORDS, WEAK_ENVIRONMENT_WORDS } from './lexicon.js';
import type { Normalized, Token } from './normalize.js';

export interface Found<T = string> {
  value: T;
  index: number;
}

const VERSION_PATTERNS = [
  /^v\d+(\.\d+){0,3}([-+][0-9a-z.-]+)?$/i,
  /^\d+\.\d+(\.\d+){0,2}([-+][0-9a-z.-]+)?$/i,
  /^(release|rel|hotfix|tag|r)[-/][\w.-]+$/i,
  // dated release tags: "r2024-07-15", "2024.06.1"
  /^r\d{4}[-.]\d{2}([-.]\d{2})?$/i,
  // a branch with a short sha: "main-4f2a9c"
  /^[a-z][\w.]*-[0-9a-f]{6,40}$/,
  // a git-flow branch: "feature/leader-election", "bugfix/PAY-12"
  /^(feature|feat|fix|bugfix|chore|refactor|topic|spike|experiment|exp|wip)\/[\w.-]+(\/[\w.-]+)*$/i,
];
/** "3.30-4.00", "9:00-9:30": a time range, which reads like a version with a suffix */
const TIME_RANGE = /^\d{1,2}[.:]\d{2}-\d{1,2}[.:]\d{2}$/;
const CLOCK_TIME = /^([01]?\d|2[0-3])[.:][0-5]\d$/;
/** "at 3.30", "by 15.45": after these a clock time is a time, whatever it looks like */
const TIME_PREPOSITION = /^(at|by|around|before|after|until|till|til|@)$/;
const SHA = /^[0-9a-f]{7,40}$/;
const NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
/** A segment of an alarm name that reads like what alarms measure ("payments-HighCPU", "orders-5xx-rate"). */
const ALARM_SEGMENT = /^(high|low)?(cpu|mem|memory|5xx|4xx|5\d\d|errors?|errorrate|latency|p9\d|disk|diskspace|health|healthcheck|unhealthy|healthy|rate|throttl\w*|timeouts?|oom|queue|queuedepth|depth|lag|saturation|utili[sz]ation|alarm|alert|availability|throughput|backlog|dlq|saturated|usage)(high|low)?$/i;
const isAlarmish = (raw: string): boolean => raw.split(/[-_.]/).slice(1).some((segment) => ALARM_SEGMENT.test(segment));
const TICKET = /^[a-z]{2,6}-\d+$|^[a-z]{2,5}\d{4,}$/;

export function isVersion(raw: string): boolean {
  const word = raw.toLowerCase();
  if (TIME_RANGE.test(word)) return false;
  if (VERSION_PATTERNS.some((pattern) => pattern.test(raw))) return true;
  return SHA.test(word) && /\d/.test(word) && /[a-f]/.test(word);
}

/** A region or a number that qualifies an environment: "eu", "us-east-1", "apac", "us2", "2". */
const REGION_SEGMENT = /^(eu|us|uk|na|sa|ap|apac|emea|amer|americas|latam|asia|af|ca|au|jp|in|de|fr|sg|east|west|north|south|central|northeast|northwest|southeast|southwest|global|intl|euw|eun|use|usw)\d{0,2}$|^\d{1,2}$/;

/** "eu-prod", "us-east-1-prod", "prod-us2", "apac-staging", "staging-2": kept as written, never a service. */
export function isQualifiedEnvironment(word: string, isEnvironment = (segment: string): boolean => segment in ENVIRONMENT_WORDS && segment !== 'live'): boolean {
  const segments = word.split('-');
  if (segments.length < 2) return false;
  const environments = segments.filter(isEnvironment);
  return environments.length === 1 && segments.every((segment) => environments.includes(segment) || REGION_SEGMENT.test(segment));
}

/** "deploy web to prod at 3.30": a time of day, not the version to deploy. */
export const isClockTime = (n: Normalized, index: number): boolean =>
  CLOCK_TIME.test(n.tokens[index]?.raw ?? '') && TIME_PREPOSITION.test(n.tokens[index - 1]?.word ?? '');

const ENVIRONMENT_LABEL = /^env(ironment)?s?$/;

/** A key in key-value style ("env: prod", "ver: 1.2"): the word, then a colon. */
export const isLabel = (token: Token | undefined, label: RegExp): boolean => token !== undefined && label.test(token.word) && token.after.startsWith(':');

export function environmentOf(token: Token | undefined, next?: Token, previous?: Token): string | undefined {
  if (!token) return undefined;
  // "from the dev branch": a branch named like an environment
  if (next?.word === 'branch') return undefined;
  if (isQualifiedEnvironment(token.word)) return token.word;
  const env = ENVIRONMENT_WORDS[token.word];
  // "env: perf", "environment: qa": a labelled value is an environment whatever it is called
  if (isLabel(previous, ENVIRONMENT_LABEL)) return env ?? (NAME.test(token.word) && !STOPWORDS.has(token.word) ? token.word : undefined);
  if (!env) {
    // "the perf env", "in perf environment"; not "webhook-relay, env: prod"
    if (next && ENVIRONMENT_LABEL.test(next.word) && !isLabel(next, ENVIRONMENT_LABEL) && NAME.test(token.word) && (!STOPWORDS.has(token.word) || NAMED_ENVIRONMENTS.has(token.word))) {
      return token.word;
    }
    return undefined;
  }
  if (WEAK_ENVIRONMENT_WORDS.has(token.word)) {
    if (token.word === 'live') return previous && /^(go|going|goes|went|gone|be|been|being|went|get|gets)$/.test(previous.word) ? undefined : env;
    const cue = (previous && /^(to|in|on|into|onto|at|for|is|are|en|->|=>)$/.test(previous.word)) || (next && /^env/.test(next.word));
    return cue ? env : undefined;
  }
  return env;
}

/** The target environment: the one after "to/into/on/in" wins over a source ("from staging to prod"). */
export function findEnvironment(n: Normalized): Found | undefined {
  const found: Array<Found & { target: boolean; source: boolean }> = [];
  const named: Array<Found & { target: boolean }> = [];
  n.tokens.forEach((token, index) => {
    const before = n.tokens[index - 1]?.word ?? '';
    const target = /^(to|into|onto|->|=>)$/.test(before);
    const env = environmentOf(token, n.tokens[index + 1], n.tokens[index - 1]);
    if (env) found.push({ value: env, index, target, source: before === 'from' });
    const other = env ? undefined : namedEnvironment(n, index);
    if (other) named.push({ value: other, index, target });
  });
  // a named environment is less sure than a known one, except over a source ("from staging to perf")
  const target = found.find((item) => item.target) ?? found.find((item) => !item.source) ?? named.find((item) => item.target) ?? named[0] ?? found[0];
  return target ? { value: target.value, index: target.index } : (commandArgumentEnvironment(n) ?? developEnvironment(n) ?? environmentAfterService(n));
}

const ENVIRONMENT_PREPOSITION = /^(to|in|on|into|onto|en)$/;
/** Words that may follow an environment at the end of its phrase: "to perf and skip...", "in perf to v0.8.0", "healthy on perf?" */
const AFTER_ENVIRONMENT =
  /^(and|or|but|to|from|with|without|at|for|by|via|using|please|pls|plz|now|asap|rn|today|tonight|tomorrow|too|also|first|then|again|right|as|so|thanks|thx|ty|once|after|before|env|envs|environment|environments|doing|looking|going|is|are|was|looks|seems|ok|okay|fine|healthy|unhealthy|up|down)$/;
/** "want to test", "time to demo": after these "to" starts a verb, not a place */
const INFINITIVE_BEFORE =
  /^(want|wants|wanted|need|needs|needed|have|has|had|going|gonna|able|try|trying|tried|time|like|plan|planning|ready|hard|easy|how|used|about|wish|hope|way|chance|meant|supposed|ought|start|started|begin|began|continue|love|hate|prefer|forgot|remember|decided|afford|help|asked|told|order)$/;

const FAILING_VERB = /^(crash|crashes|crashed|crashing|fail|fails|failed|failing|hang|hangs|hung|hanging|break|breaks|broke|error|errors|errored|erroring|freezes|froze|dies|died|slow|lags)$/;

const isNamedEnvironment = (word: string): boolean => NAMED_ENVIRONMENTS.has(word) || isQualifiedEnvironment(word, (segment) => NAMED_ENVIRONMENTS.has(segment));

/** "to perf", "in demo", "on canary-eu": an environment the lexicon does not know, which a preposition introduces and which ends its phrase. */
function namedEnvironment(n: Normalized, index: number): string | undefined {
  const token = n.tokens[index]!;
  const before = n.tokens[index - 1];
  if (!isNamedEnvironment(token.word) || !before || !ENVIRONMENT_PREPOSITION.test(before.word) || /[,;:.?!—–]/.test(before.after)) return undefined;
  if (before.word === 'to' && INFINITIVE_BEFORE.test(n.tokens[index - 2]?.word ?? '')) return undefined;
  // "crashes on load", "fails on test": after a failure, "on" says when it happens, not where
  if (before.word === 'on' && FAILING_VERB.test(n.tokens[index - 2]?.word ?? '')) return undefined;
  const next = n.tokens[index + 1];
  const endsPhrase = !next || /[,;:.?!—–]/.test(token.after) || AFTER_ENVIRONMENT.test(next.word) || isVersion(next.raw);
  return endsPhrase ? token.word : undefined;
}

/** "disk full on invoice-mailer uat": a weak environment word right after the service a preposition introduces. */
function environmentAfterService(n: Normalized): Found | undefined {
  const index = n.tokens.findIndex(
    (token, at) =>
      WEAK_ENVIRONMENT_WORDS.has(token.word) &&
      token.word !== 'live' &&
      /^(on|in|for|of|at|to)$/.test(n.tokens[at - 2]?.word ?? '') &&
      isServiceLike(n.tokens[at - 1]) &&
      !/[,;:.?!—–]/.test(n.tokens[at - 1]!.after) &&
      endsArguments(n, at),
  );
  return index >= 0 ? { value: ENVIRONMENT_WORDS[n.tokens[index]!.word]!, index } : undefined;
}

const GIT_TALK = /^(push|pushed|pushing|merge|merged|merging|commit|committed|rebase|rebased|cherry-pick|pr|mr|branch|branches)$/;

/**
 * "develop" is a common branch name ("deploy payments develop to staging"): it is the dev
 * environment only where a preposition introduces it, and not in talk about git ("push the fix to develop").
 */
function developEnvironment(n: Normalized): Found | undefined {
  const index = n.tokens.findIndex((token, at) => token.word === 'develop' && /^(to|in|on|into|onto)$/.test(n.tokens[at - 1]?.word ?? ''));
  if (index < 0 || n.tokens.some((token) => GIT_TALK.test(token.word))) return undefined;
  return { value: 'dev', index };
}

/** "qa tests" is a noun phrase: the argument list ends there, or a version follows */
const endsArguments = (n: Normalized, index: number): boolean => {
  const next = n.tokens[index + 1];
  return !next || /[,;:.?!—–]/.test(n.tokens[index]!.after) || isVersion(next.raw);
};

const COMMAND_VERB = /^(deploy|rollback|revert|status|recover|restart|troubleshoot|lock|unlock|freeze|unfreeze|thaw)$/;
const ARGUMENTS = 4;

/**
 * `lock billing uat`, `deploy pricing-engine 0.14.3 sandbox`: among a command's positional
 * arguments, after the service, a weak environment word is the environment.
 */
function commandArgumentEnvironment(n: Normalized): Found | undefined {
  if (!COMMAND_VERB.test(n.tokens[0]?.word ?? '') || /[,;:.?!]/.test(n.tokens[0]!.after)) return undefined;
  for (let index = 1; index <= ARGUMENTS && index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    if (index >= 2 && WEAK_ENVIRONMENT_WORDS.has(token.word) && token.word !== 'live' && endsArguments(n, index)) {
      return { value: ENVIRONMENT_WORDS[token.word]!, index };
    }
    if (!isServiceLike(token) && !isVersion(token.raw)) return undefined;
    if (/[,;:.?!—–]/.test(token.after)) return undefined;
  }
  return undefined;
}

/** Branches deployed by name: the usual trunk names, or a name that "branch" follows. */
const TRUNK_BRANCH = /^(main|master|develop|trunk)$/;

/** A branch as written: "feature/invoice-pdf", "jdoe/leader-election"; not a file path ("src/app.ts"). */
const SLASHED_REF = /^[a-z][\w.-]*(\/[\w-]+)+$/i;

/**
 * "from the develop branch", "off the hotfix-42 branch", "push ledger main to sandbox", "deploy cart to qa from main",
 * "deploy cart jdoe/retry-fix to dev": a branch is the version deployed.
 */
function isBranchVersion(n: Normalized, index: number): boolean {
  const token = n.tokens[index]!;
  const previous = n.tokens[index - 1];
  const next = n.tokens[index + 1];
  if (/[,;:.?!—–]/.test(previous?.after ?? '')) return false;
  if (next?.word === 'branch' && /^(from|off|of|on|using|the)$/.test(previous?.word ?? '')) {
    return TRUNK_BRANCH.test(token.word) || SLASHED_REF.test(token.raw) || (NAME.test(token.word) && !STOPWORDS.has(token.word) && !isVersion(token.raw));
  }
  // "from main", "off master"; "from develop" is the dev environment as often as a branch
  if (/^(from|off)$/.test(previous?.word ?? '') && TRUNK_BRANCH.test(token.word) && token.word !== 'develop') return true;
  // "<service> <slashed ref>", before the environment or at the end
  if (SLASHED_REF.test(token.raw) && isServiceLike(previous) && (!next || /^(to|into|onto|on|in)$/.test(next.word))) return true;
  // "<service> <trunk branch> to <environment>"
  return TRUNK_BRANCH.test(token.word) && isServiceLike(previous) && /^(to|into|onto)$/.test(next?.word ?? '') && !/[,;:.?!—–]/.test(token.after);
}

export function findVersion(n: Normalized): Found | undefined {
  for (let index = 0; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    const at = token.raw.indexOf('@');
    if (at > 0 && isVersion(token.raw.slice(at + 1))) return { value: token.raw.slice(at + 1), index };
    if (isVersion(token.raw) && !/^\d+$/.test(token.raw) && !isClockTime(n, index)) return { value: token.raw.replace(/^V/, 'v'), index };
    const previous = n.tokens[index - 1]?.word;
    if (previous && /^(version|tag|ref|sha|commit|branch|build)$/.test(previous) && /^[\w][\w.\-/]*$/.test(token.raw) && !STOPWORDS.has(token.word)) {
      return { value: token.raw, index };
    }
    if (isBranchVersion(n, index)) return { value: token.raw, index };
    // an all-digit short sha ("61049424"); short numbers are pipeline ids, counts or times
    if (/^\d{7,40}$/.test(token.word) && !/^(pipeline|pipelines|build|job|run|id|mr|pr|ticket|issue|incident|#)$/.test(previous ?? '')) {
      return { value: token.raw, index };
    }
  }
  return undefined;
}

/** "pipeline 1234", "#5821", "build 4410", "run 99812". */
export function findPipelineId(n: Normalized): Found | undefined {
  for (let index = 0; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    const hash = /^#(\d{1,12})$/.exec(token.word);
    // "PR #1290", "issue #12" are not pipelines
    if (hash && !/^(pr|mr|issue|ticket|jira|pull|merge|request|story|bug)$/.test(n.tokens[index - 1]?.word ?? '')) return { value: hash[1]!, index };
    if (/^\d{1,12}$/.test(token.word)) {
      const context = n.tokens.slice(Math.max(0, index - 3), index).map((t) => t.word);
      if (context.some((word) => /^(pipeline|pipelines|build|run|job|ci|id|pipe|troubleshoot|diagnose|debug|investigate)$/.test(word)) && token.word.length >= 2) {
        return { value: token.word, index };
      }
    }
  }
  return undefined;
}

export function findNumber(n: Normalized): Found<number> | undefined {
  for (let index = 0; index < n.tokens.length; index += 1) {
    const word = n.tokens[index]!.word.replace(/^#/, '');
    if (/^\d{1,4}$/.test(word)) return { value: Number(word), index };
  }
  return undefined;
}

export function isServiceLike(token: Token | undefined): boolean {
  if (!token) return false;
  const word = token.word;
  return (
    word.length >= 2 &&
    NAME.test(word) &&
    !STOPWORDS.has(word) &&
    !NON_SERVICE_NOUNS.has(word) &&
    !CALENDAR_WORDS.has(word) &&
    !(word in ENVIRONMENT_WORDS) &&
    !isQualifiedEnvironment(word) &&
    !TOOL_WORDS.has(word) &&
    !TICKET.test(word) &&
    !isVersion(token.raw) &&
    !/^\d/.test(word)
  );
}

export interface ServiceOptions {
  /** index of the verb the service should follow */
  anchor?: number;
  /** token indexes already used by another slot */
  exclude?: Set<number>;
}

/** Candidate service names ranked by where they sit in the sentence. */
export function serviceCandidates(n: Normalized, options: ServiceOptions = {}): Array<Found & { score: number }> {
  const { tokens } = n;
  const candidates: Array<Found & { score: number }> = [];
  tokens.forEach((token, index) => {
    if (options.exclude?.has(index) || !isServiceLike(token)) return;
    const previous = tokens[index - 1]?.word ?? '';
    const beforePrevious = tokens[index - 2]?.word ?? '';
    const next = tokens[index + 1]?.word ?? '';
    let score = 0;
    if (token.word.includes('-')) score += 1;
    if (options.anchor !== undefined) {
      const distance = index - options.anchor;
      if (distance === 1) score += 3;
      else if (distance === 2 && /^(the|a|an|of|for|on|to|up|down|out)$/.test(previous)) score += 3;
      else if (distance > 0 && distance <= 4) score += 1;
    }
    if (/^(of|for|on|about|with)$/.test(previous)) score += 2;
    if (previous === 'the' && /^(of|for|on|in)$/.test(beforePrevious)) score += 2;
    if (SERVICE_MARKERS.has(next)) score += 3;
    if (/^(is|was|keeps|needs|has|isn't|seems|looks|went|throws|throwing|broke|appears|won't|wont|doesn't|can't|cannot|will|does|did|didn't|@)$/.test(next)) score += 2;
    // "the shared drive", "the coffee machine": an adjective of a thing, not a service
    if (NON_SERVICE_NOUNS.has(next) && !SERVICE_MARKERS.has(next)) score -= 3;
    if (/^(healthy|unhealthy|up|down|ok|okay|doing|alive|working|running|looking|locked|deployed)$/.test(next)) score += 2;
    if (/^(is|are|how's|hows|check|about)$/.test(previous)) score += 1;
    // "orders staging is ...", "payments prod looks ...", "cart stg ok?"
    if (next in ENVIRONMENT_WORDS && /^(is|are|was|looks|seems|keeps|went|has|down|up|ok|okay|healthy|unhealthy|alive|fine)$/.test(tokens[index + 2]?.word ?? '')) score += 2;
    if (/^(called|named|name)$/.test(previous)) score += 3;
    if (/^(service|svc|app|project|repo|component|microservice)$/.test(previous)) score += 3;
    if (token.quoted) score += 2;
    if (/^(my|our|your|his|her|their)$/.test(previous) && !SERVICE_MARKERS.has(next) && !token.word.includes('-')) score -= 3;
    if (score > 0 || token.word.includes('-') || options.anchor !== undefined) candidates.push({ value: token.word, index, score });
  });
  return candidates.sort((a, b) => b.score - a.score || a.index - b.index);
}

export function bestService(n: Normalized, options: ServiceOptions = {}): Found | undefined {
  const [best] = serviceCandidates(n, options);
  return best && best.score >= 0 ? { value: best.value, index: best.index } : undefined;
}

/** A CloudWatch alarm name: a dashed name next to "alarm/firing", or one whose parts read like an alarm. */
export function findAlarm(n: Normalized): Found | undefined {
  const alarmContext = /\b(alarm|alarms|alert|firing|fired|going off|went off|in alarm|triggered|paging)\b/.test(n.text);
  let best: (Found & { score: number }) | undefined;
  for (let index = 0; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    // dashed names, or CamelCase ones ("PaymentsDLQNotEmpty") when the message says "alarm"
    const camel = /^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*){2,}$/.test(token.raw);
    if ((!/^[A-Za-z0-9][\w.-]*[-_][\w.-]+$/.test(token.raw) && !camel) || isVersion(token.raw) || TICKET.test(token.word)) continue;
    const next = n.tokens[index + 1]?.word ?? '';
    const alarmish = isAlarmish(token.raw) || (camel && ALARM_SEGMENT.test(token.raw.replace(/^[A-Z][a-z0-9]+/, '').toLowerCase().replace(/(high|low)$/, '')));
    const named = /^(alarm|alert)$/.test(next) || /^(alarm|alert)$/.test(n.tokens[index - 1]?.word ?? '') || (/^(is|firing|fired|in)$/.test(next) && alarmish);
    // "mitigate search-indexer-queue-depth by scaling search-indexer": named after a service the message also names
    const namedAfterService = alarmish && n.tokens.some((other, at) => at !== index && other.word.length >= 3 && token.word.startsWith(`${other.word}-`));
    let score = 0;
    if (named && alarmContext) score = alarmish ? 3 : 1;
    else if ((alarmContext && alarmish) || namedAfterService) score = 2;
    if (score > (best?.score ?? 0)) best = { value: token.raw, index, score };
  }
  return best ? { value: best.value, index: best.index } : undefined;
}

/** A user reference: a Slack mention, an @name, or a plain name token. */
export function userReference(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token.raw);
  if (mention) return `<@${mention[1]}>`;
  const raw = token.raw.replace(/^@/, '');
  if (/^[\w.:-]{1,100}$/.test(raw) && !STOPWORDS.has(raw.toLowerCase())) return raw;
  return undefined;
}
