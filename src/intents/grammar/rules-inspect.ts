import { bestService, findEnvironment, findPipelineId, findVersion, isQualifiedEnvironment, isServiceLike, serviceCandidates, type Found } from './entities.js';
import { isOpinion } from './discourse.js';
import { DATABASE_WORDS, ENVIRONMENT_WORDS, NON_SERVICE_NOUNS, PERSONAL_THINGS, STOPWORDS, TEMPLATE_WORDS, TOOL_WORDS } from './lexicon.js';
import type { Normalized, Token } from './normalize.js';
import { has, isHowTo, mentionsNonService, slots, tokenIndex, usedIndexes, type Candidate } from './support.js';

/** Rules for intents that look or build: status, troubleshoot, scaffold. */

const FAILURE =
  /\b(fail|fails|failed|failing|failure|failures|broken|broke|red|stuck|erroring|errored|crash(ed|es|ing)?|hanging|hangs|timed out|timing out|flaky)\b|\b(won't|will not|doesn't|does not|can't|cannot|isn't|is not) (deploy|build|start|pass|compile|run|go through)\b/;
const ASKING = /\b(why|why's|whys|what happened|what went wrong|what's wrong|whats wrong|what is wrong|wrong with|what is the problem|what's the problem|look why|check why|what's the error|whats the error|what is the error|debug|diagnose|investigate|look into|take a look|have a look|dig in|dig into|figure out|what's up with|whats up with|what's going on|whats going on|any idea|troubleshoot|explain|root cause|rca)\b/;
const CI_OBJECT = /\b(pipeline|pipelines|build|builds|ci|job|jobs|tests?|deploy|deployment|run|runner|stage|lint|compile|check|checks|mr|merge request)\b/;

export function troubleshootRule(n: Normalized): Candidate | undefined {
  const explicit = has(n, /\b(troubleshoot|diagnose|debug)\b/) && !/\b(my|your) (laptop|computer|code|machine|setup|wifi|phone)\b/.test(n.text);
  const failure = has(n, FAILURE);
  const asking = has(n, ASKING);
  const ci = has(n, CI_OBJECT);
  const pipeline = findPipelineId(n);
  const probing = has(n, /\b(debug|diagnose|investigate|look into|root cause|rca)\b/);
  if (!explicit && !(ci && (failure || probing || (asking && pipeline)))) return undefined;
  if (!explicit && !failure && !asking) return undefined;
  const anchor = tokenIndex(n, /^(troubleshoot|debug|diagnose|investigate)$/);
  const service = bestService(n, { ...(anchor >= 0 ? { anchor } : {}), exclude: usedIndexes(pipeline) });
  if (!service && !pipeline && mentionsNonService(n)) return undefined;
  if (/\b(of|for) (candidates|hires|hiring|deals|sales)\b/.test(n.text)) return undefined;
  let confidence = explicit || (failure && asking) || pipeline ? 0.9 : 0.8;
  if (!service && !pipeline) confidence = Math.min(confidence, 0.75);
  return { intent: 'troubleshoot', slots: slots({ service: service?.value, pipeline: pipeline?.value }), confidence };
}

/** "what got deployed to prod today?", "what went out yesterday": a question about recent deployments; not "what was released in the app store" */
const DEPLOYED_WHAT = /\b(what (got|has|have|was|were|went|has been|have been|has gone)|what's been|whats been) (deployed|shipped|promoted|out|released? (to|into|on|in) (?!the\b))/;

const SUBJECTS: Array<[RegExp, string]> = [
  [/\b(approvals?|approve|waiting on|awaiting|sign[- ]?off)\b/, 'approvals'],
  [/\b(locked|locks|frozen|freezes)\b|\b(a|any|the)( deploy| deployment| release| code| change)? (lock|freeze)\b/, 'locks'],
  [/\b(incidents?|alarms?|alerts?|outages?|on fire)\b/, 'incidents'],
  [/\b(pipelines?|ci|builds?)\b/, 'pipelines'],
  [/\b(deploys|deployments|deploy go|deploy went|deployed recently|recent deploy|last deploy|rollouts|deployment ongoing|deploying|any deployment)\b|\b(deploy|deployment|release)s? (history|timeline)\b|\bhistory of (deploys|deployments|releases)\b/, 'deployments'],
  [DEPLOYED_WHAT, 'deployments'],
  [/\b(versions?|which tag|what tag|what sha|which sha)\b/, 'versions'],
];

/** "how are you doing?", "how r u": asking after a person, not a service */
const SMALL_TALK = /\bhow (are|is|'s) (you|ya|it|everyone|everybody|you all|you guys|your day)\b/;

/** A symptom report ("orders staging is acting up"): status is a fair answer, but not a sure one. */
const SYMPTOM = /\b(is|are|looks|seems|seem|look|went|keeps) (down|broken|acting up|acting weird|acting strange|slow|unhealthy|erroring|flaky|not working|dead|on fire|flapping|timing out)\b/;

const STATUS_CUES = [
  /\b(status|stauts|statuses|state of|health|healthy|unhealthy|overview|summary|summari[sz]e|dashboard for)\b/,
  /\b(what's|whats|what is|what's been|which|what) (running|deployed|live|out|on)\b/,
  /\b(is|are) (the )?\S+( \S+)? (up|down|healthy|ok|okay|alive|working|running|locked|frozen)\b/,
  /\b(how's|hows|how is|how are) \S+( \S+)?( \S+)? (doing|looking|going)\b/,
  /\b(what|which|current|latest) versions?\b|\bversions? of\b|\bversions across\b/,
  /\b(any|open|active|current) (open )?(incidents?|alarms?|alerts?|outages?)\b/,
  /\b(pending|outstanding|open) approvals?\b|\bwaiting (on|for) approvals?\b/,
  /\b(show|list|recent|last|latest)\b.*\b(deploys|deployments|pipelines|versions|releases|locks|incidents|approvals)\b/,
  /\bdid\b.*\b(deploy|go out|went out|ship|land)\b/,
  /\b(what's|whats|what is) (going on|happening|the state)\b/,
  /\b(which|what|any) (services?|envs?|environments?|things?) (are|is) (locked|frozen|down|failing)\b|\bwhat's the latest (on|with|for)\b|\b(any )?(news|update) on\b/,
  /\bhealth ?check\b|\b(sitrep|rundown|status report)\b/,
  /\bpipeline status\b/,
  DEPLOYED_WHAT,
  /\b(deploy|deployment|release)s? (history|timeline)\b|\bhistory of (deploys|deployments|releases)\b/,
  /\b(is|are) there (any|an?|some)( \S+)? (deploys?|deployments?|incidents?|outages?|alarms?|alerts?|approvals?|locks?|freezes?|pipelines?|rollouts?)\b/,
  // "wondering if staging is locked", "do you know whether cart is up": the question embedded in a sentence
  /\b(if|whether) (the )?\S+( \S+)? (is|are) (still )?(up|down|healthy|unhealthy|ok|okay|alive|working|running|locked|frozen)\b/,
  /\bhow (is|are|'s|iz) (doing|looking|going)\b|\bhow (is|are|how's) \S+ (in|on|at)\b|\bcheck (how|if|whether)\b.*\b(doing|fine|ok|okay|healthy|up|running|looking)\b/,
  /^(is|are) (the )?\S+( pipeline| build| ci)? (green|passing|fixed|ok|okay|fine|back)\b/,
  /\b(is|are) (somebody|someone|anybody|anyone|people) (\S+ing)\b/,
  /\bwho (has |have |holds |owns )?(locked|frozen|froze|the lock|a lock)\b|\b(pending|awaiting|needs?|needing|requires?|requiring) (my|your|our)? ?(approvals?|sign[- ]?off)\b/,
  /\b(anyone|anybody|someone|somebody) (has|have|holds?|owns?|is holding|took) (the |a |any )?(lock|locks|freeze)\b/,
  /^(incidents?|approvals?|locks|deployments?|deploys|pipelines?|versions?)\b/,
  // "pipelines for kyc-service", "who holds locks on staging": a status subject about a target
  /^(\S+ ){0,3}(versions?|deploys|deployments|pipelines|incidents|approvals|locks)( \S+){0,2} (for|on|in|of|across)\b/,
  /\b(up|alive|healthy|ok|okay) or (down|dead|not)\b/,
];

const HEALTH_WORD = /^(up|down|ok|okay|healthy|unhealthy|alive|fine|good|green|red|broken|dead|working)$/;

/** "prod cart down?", "cart stg ok?": a service, an environment and a health word, asked as a terse question */
function terseHealthQuestion(n: Normalized): { service: string; environment: string } | undefined {
  if (n.tokens.length !== 3) return undefined;
  const [first, second, last] = n.tokens as [Token, Token, Token];
  if (!HEALTH_WORD.test(last.word) || !last.after.includes('?')) return undefined;
  const environment = [first, second].find((token) => token.word in ENVIRONMENT_WORDS || isQualifiedEnvironment(token.word));
  const service = [first, second].find((token) => token !== environment && isServiceLike(token));
  if (!environment || !service) return undefined;
  return { service: service.word, environment: ENVIRONMENT_WORDS[environment.word] ?? environment.word };
}

/** "bounced ledger, looks healthy now": a report that things are fine again, not a question about them */
const RECOVERED = /\b(looks|seems|is|are|it's|its) (all )?(healthy|fine|ok|okay|good|green|stable|happy)( again)?,? now\b|\b(healthy|fine|ok|okay|good|green|stable|happy) again\b|\bback to normal\b/;

/** "my status is away", "set my status to busy": a person's presence, not a service's */
const PRESENCE =
  /\b(my|his|her) (slack |teams |chat )?status\b|\bstatus (is |to |as )?(set to )?(away|busy|offline|online|available|afk|dnd|ooo|idle|invisible|out of office|do not disturb|on (vacation|leave|holiday|pto))\b/;

/** "a lock on the meeting room", "an outage at the office": the thing a status subject is about */
const SUBJECT_OF = /\b(locks?|freeze|approvals?|incidents?|outages?|alarms?|alerts?) (of|on|for|at|in|with) (the |our |my )?([^\s,]+)/;
const STATE_QUESTION = /\b(is|are) (the |my |our |your )?(\S+ )?(\S+) (still )?(up|down|healthy|unhealthy|ok|okay|alive|working|running|locked|frozen)\b/;

/** "budget.xlsx", "notes.docx": a document, which has its own locks and versions */
const DOCUMENT = /^[\w-]+\.(xlsx?|docx?|pptx?|pdf|csv|txt|md|odt|ods|numbers|pages|key)$/;

/** "the new version of Slack", "a lock on the meeting room", "the lock on budget.xlsx": the thing asked about is not a service */
function aboutAnotherThing(n: Normalized): boolean {
  const object = /\b(versions?|status|state|health) of (the )?([^\s,]+)/.exec(n.text)?.[3] ?? SUBJECT_OF.exec(n.text)?.[4] ?? '';
  // "is the meeting room locked?", "is the wifi down": the thing whose state is asked
  const state = STATE_QUESTION.exec(n.text);
  const stateOf = [state?.[3]?.trim(), state?.[4]].some((word) => word !== undefined && (NON_SERVICE_NOUNS.has(word) || PERSONAL_THINGS.has(word)));
  return NON_SERVICE_NOUNS.has(object) || TOOL_WORDS.has(object) || stateOf || n.tokens.some((token) => DOCUMENT.test(token.word));
}

/** Where a terse status request puts the service first: "atlas status dev", "reports on preprod, up or down?". */
function leadingService(n: Normalized, environment: Found | undefined): string | undefined {
  const [first, second] = n.tokens;
  if (!first || !second || !isServiceLike(first) || /[,;:.?!—–]/.test(first.after)) return undefined;
  if (/^(status|statuses)$/.test(second.word) && n.tokens.length <= 3 && (n.tokens.length === 2 || environment?.index === 2)) return first.word;
  return /^(on|in|at)$/.test(second.word) && environment?.index === 2 ? first.word : undefined;
}

/** "check search on qa", "check on cart in prod": a short request to look at a service in an environment. */
function checksServiceIn(n: Normalized, environment: Found | undefined): Found | undefined {
  if (!environment || n.tokens[0]?.word !== 'check' || n.tokens.length > 6) return undefined;
  let index = 1;
  while (/^(on|the)$/.test(n.tokens[index]?.word ?? '')) index += 1;
  const token = n.tokens[index];
  const atEnvironment = /^(on|in|at)$/.test(n.tokens[index + 1]?.word ?? '') && environment.index === index + 2 && environment.index === n.tokens.length - 1;
  return token && isServiceLike(token) && atEnvironment ? { value: token.word, index } : undefined;
}

export function statusRule(n: Normalized): Candidate | undefined {
  const terse = terseHealthQuestion(n);
  const checking = checksServiceIn(n, findEnvironment(n));
  const cued = terse !== undefined || checking !== undefined || STATUS_CUES.some((cue) => cue.test(n.text));
  if (!cued && !SYMPTOM.test(n.text)) return undefined;
  if (PRESENCE.test(n.text) || (RECOVERED.test(n.text) && !n.original.includes('?'))) return undefined;
  if (isOpinion(n) && !/^(is|are|was|were|how|what|which)\b/.test(n.text)) return undefined;
  if (aboutAnotherThing(n)) return undefined;
  // "status of my ticket", "my amazon package": somebody else's status
  if (/\b(my|our|your) (\S+ )?(\S+)\b/.test(n.text) && n.tokens.some((token, index) => NON_SERVICE_NOUNS.has(token.word) && /^(my|our|your)$/.test(n.tokens[index - 1]?.word ?? n.tokens[index - 2]?.word ?? ''))) {
    return undefined;
  }
  // "bring the version 3.3.3 of tax-calc to dev" names a version to move, it does not ask which one runs
  if (findVersion(n) && !/^(is|are|was|were|which|what|did|does|do|has|have|how)\b/.test(n.text)) return undefined;
  const statusAt = tokenIndex(n, /^(status|statuses)$/);
  const nextWord = n.tokens[statusAt + 1]?.word ?? '';
  if (statusAt >= 0 && (NON_SERVICE_NOUNS.has(nextWord) || /^(meeting|update|updates|call|page|report|quo|bar|code|message)$/.test(nextWord))) {
    return undefined;
  }
  const found = findEnvironment(n);
  const environment = found?.value ?? terse?.environment;
  const subject = SUBJECTS.find(([pattern]) => pattern.test(n.text))?.[1];
  const anchor = statusAt >= 0 ? statusAt : undefined;
  const ranked = serviceCandidates(n, { ...(anchor !== undefined ? { anchor } : {}), exclude: usedIndexes(found) }).find(
    (candidate) => candidate.score > 0 || (anchor !== undefined && candidate.index > anchor) || candidate.value.includes('-'),
  );
  // "locks on stg?" names what to report on, not a service
  const leading = subject ? undefined : leadingService(n, found);
  const service = checking ?? ranked ?? (leading ? { value: leading } : undefined);
  const meaningful = n.tokens.filter((token) => !STOPWORDS.has(token.word) && !/^(status|statuses|stauts)$/.test(token.word));
  if (!service && !environment && !subject && (mentionsNonService(n) || meaningful.some((token) => isServiceLike(token)))) {
    return undefined;
  }
  if (!service && !environment && !subject && (mentionsNonService(n) || SMALL_TALK.test(n.text))) return undefined;
  if (!cued && !service) return undefined;
  const confidence = !cued ? 0.7 : service || environment || subject ? 0.88 : 0.8;
  return {
    intent: 'status',
    slots: slots({ service: service?.value ?? terse?.service, environment, subject }),
    confidence,
  };
}

const SCAFFOLD_CUE =
  /\b(scaffold|bootstrap)\b|\b(skeleton|boilerplate|starter kit|starter)\b.*\b(named|called|for)\b|\b(create|make|spin up|spin|set up|setup|generate|start|init|initiali[sz]e|new|need|want|add|build)\b.*\b(service|svc|microservice|app|api|project|repo|repository|component|worker)\b|\bnew (python|fastapi|node|express|go|golang|gin|typescript|javascript) /;
/** "create a jira ticket", "add a new DNS record": the thing created is not a service */
const NOT_SCAFFOLD_OBJECT =
  /\b(create|make|add|set up|setup|generate|spin up|open|provision|build)( me| us)?( (a|an|the|new|another|some|one|\S+ new))* (\S+ )?(ticket|tickets|bucket|pr|branch|issue|channel|meeting|reminder|doc|page|dashboard|alert|alarm|user|account|token|secret|database|table|queue|topic|vpc|cluster|namespace|record|dns|domain|certificate|cert|role|policy|group|list|folder|file|note)\b/;

/** "a good scaffold rental company", "the scaffold is up outside": scaffold as a thing, in a compound noun or as the subject of a statement */
function scaffoldAsThing(n: Normalized): boolean {
  const index = tokenIndex(n, /^scaffold$/);
  if (index < 1) return false;
  const determined = /^(a|an|the|this|that|some|any|good|cheap|new|local|our|my)$/.test(n.tokens[index - 1]!.word);
  const next = n.tokens[index + 1];
  if (!determined || next === undefined || /[,;:.?!]/.test(n.tokens[index]!.after)) return false;
  const compound = /^[a-z]+$/.test(next.word) && !STOPWORDS.has(next.word);
  const subject = /^(is|was|are|were|has|had|fell|collapsed|went|looks|will)$/.test(next.word);
  return compound || subject;
}

export function scaffoldRule(n: Normalized): Candidate | undefined {
  if (!has(n, SCAFFOLD_CUE) || scaffoldAsThing(n)) return undefined;
  const explicit = has(n, /\bscaffold\b/);
  if (!explicit && has(n, NOT_SCAFFOLD_OBJECT)) return undefined;
  if (!explicit && has(n, /\b(deploy|rollback|restart|status|pipeline|fail|failed|failing)\b/)) return undefined;
  const name = quotedName(n) ?? newServiceName(n);
  const template = templateOf(n);
  const database = DATABASE_WORDS.find(([pattern]) => pattern.test(n.text))?.[1];
  let confidence = explicit || has(n, /\bbootstrap\b/) || name ? 0.9 : 0.7;
  if (!name && !template && !explicit) confidence = 0.55;
  if (isHowTo(n)) confidence = 0.4;
  return { intent: 'scaffold', slots: slots({ name: name?.value, template, database }), confidence };
}

function templateOf(n: Normalized): string | undefined {
  for (const [pattern, template] of TEMPLATE_WORDS) {
    if (template !== 'go-gin') {
      if (pattern.test(n.text)) return template;
      continue;
    }
    // "go" is also a verb: count it only where it names a language
    if (/\b(go-gin|gin|golang)\b/.test(n.text) || /\b(in|with|using|a|an|new|written in|language|lang|stack|template)( is)? go\b|\bgo (service|svc|app|api|microservice|project|template|stack|starter|skeleton|boilerplate)\b|\bgo\b[ ,]+(with|dynamo|postgres|pg|no|stateless)/.test(n.text)) {
      return template;
    }
  }
  return undefined;
}

/** A kebab-case name the user quoted: "scaffold `pl-payouts` with Python". */
function quotedName(n: Normalized): { value: string; index: number } | undefined {
  const index = n.tokens.findIndex((token) => token.quoted && /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(token.word));
  return index >= 0 ? { value: n.tokens[index]!.word, index } : undefined;
}

function newServiceName(n: Normalized): { value: string; index: number } | undefined {
  const { tokens } = n;
  for (let index = 0; index < tokens.length - 1; index += 1) {
    const word = tokens[index]!.word;
    let next = tokens[index + 1]!;
    if (word === 'name' && /^(is|will be|should be|:)$/.test(next.word) && tokens[index + 2]) next = tokens[index + 2]!;
    if (/^(called|named|name)$/.test(word) || (word === 'call' && next.word === 'it')) {
      const target = word === 'call' ? tokens[index + 2] : next;
      if (target && /^[a-z][a-z0-9-]*$/.test(target.word)) return { value: target.word, index: tokens.indexOf(target) };
    }
  }
  const templateWords = new Set(['python', 'fastapi', 'node', 'nodejs', 'express', 'go', 'golang', 'gin', 'typescript', 'javascript', 'python-fastapi', 'nodejs-express', 'go-gin']);
  const candidates = serviceCandidates(n, { anchor: tokenIndex(n, /^(scaffold|bootstrap|service|svc|repo|project|for)$/) }).filter(
    (candidate) => !templateWords.has(candidate.value) && !/^(dynamo|dynamodb|postgres|postgresql|pg|psql|db|none|template|microservice|stateless|probably|backed)$/.test(candidate.value),
  );
  const [best] = candidates;
  return best && (best.score > 0 || best.value.includes('-')) ? best : undefined;
}
