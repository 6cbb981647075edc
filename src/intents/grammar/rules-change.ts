import { bestService, findAlarm, findVersion, isClockTime, isServiceLike, isVersion, type Found } from './entities.js';
import { NON_SERVICE_NOUNS, RECOVERY_WORDS } from './lexicon.js';
import type { Normalized } from './normalize.js';
import {
  environmentAndVersion,
  has,
  isHowTo,
  isPastQuestion,
  mentionsNonService,
  phraseEnd,
  phraseIndex,
  slots,
  tokenIndex,
  usedIndexes,
  type Candidate,
} from './support.js';

/** Rules for intents that change a running service: deploy, rollback, recover. */

const FAILURE = /\b(fail|fails|failed|failing|failure|broken|broke|red|stuck|erroring|crash(ed|es|ing)?)\b/;
const DEPLOY_VERB = /^(deploy|deploying|ship|shipping|release|push|promote|promoting)$/;
/** Verbs that mean deploy only with a version or an environment: "bump cart to 3.4.5 on prod". */
const WEAK_DEPLOY_VERB = /^(bump|upgrade|update|install|roll|move|put|bring|take|get)$/;
const NOUN_BEFORE = /^(the|a|an|this|that|our|my|your|new|next|last|latest|previous|recent|weekly|daily|friday)$/;
const NOT_RELEASE_OBJECT = /^(notes?|party|date|plan|train|schedule|manager|calendar|branch|candidate|cadence|process|email|history|timeline)$/;
/** "the deploy train", "deploy freeze": deploy as the first half of a compound noun */
const DEPLOY_COMPOUND = /^(train|freeze|freezes|window|windows|party|schedule|process|day|days|meeting|plan|notes|calendar|slot|slots|queue|bot|button|key|keys|token|tokens|script|scripts|policy|checklist|cadence|frequency|time|times|log|logs|history|doc|docs|guide|permissions?|rights|access|stage|step|job|jobs)$/;

function deployVerbIndex(n: Normalized): number {
  for (let index = 0; index < n.tokens.length; index += 1) {
    const word = n.tokens[index]!.word;
    if (!DEPLOY_VERB.test(word)) continue;
    const previous = n.tokens[index - 1]?.word ?? '';
    const next = n.tokens[index + 1]?.word ?? '';
    if (word !== 'deploy' && (NOUN_BEFORE.test(previous) || NOT_RELEASE_OBJECT.test(next))) continue;
    if (word !== 'deploy' && /^(is|was|has|had|broke|breaks|looks|seems|went)$/.test(next)) continue;
    if (word === 'deploy' && DEPLOY_COMPOUND.test(next)) continue;
    // "that deploy on friday", "her first prod deploy": the noun, not a request
    if (word === 'deploy' && /^(the|a|that|this|my|our|your|his|her|their|first|last|next|friday|prod|staging)$/.test(previous) && !/^(of|for)$/.test(next)) continue;
    // "deploy more empathy": a quantity of something, not a service
    if (/^(more|some|less|a|an)$/.test(next) && word === 'deploy' && /^(more|less|bit)$/.test(next + (n.tokens[index + 2]?.word === 'bit' ? 'bit' : ''))) continue;
    if (word === 'release' && /^(the|a)$/.test(next) && /^(lock|locks|freeze)$/.test(n.tokens[index + 2]?.word ?? '')) continue;
    if (word === 'release' && /^(lock|locks|freeze)$/.test(next)) continue;
    if (word === 'push' && /^(back|notification|notifications|button|up)$/.test(next)) continue;
    return index;
  }
  return -1;
}

/** "make deployment of X", "do a rollout of X": the request as a noun after a light verb */
const NOMINAL_DEPLOY =
  /\b(make|makes|making|do|does|doing|perform|performing|run|running|execute|executing|trigger|triggering|start|kick off|carry out|proceed with)( a| an| the| new)? (deployment|rollout|release) (of|for)\b/;

function nominalDeployIndex(n: Normalized): number {
  const end = phraseEnd(n, NOMINAL_DEPLOY);
  return end < 0 ? -1 : end - 1;
}

function weakVerbIndex(n: Normalized): number {
  const index = tokenIndex(n, WEAK_DEPLOY_VERB);
  return index >= 0 && !/^(back|it back)$/.test(n.tokens[index + 1]?.word ?? '') ? index : -1;
}

/** "I'm going to need cart on staging by 5": a service needed in an environment, by a time */
const NEEDED_BY = /\bneed \S+ (on|in) \S+ (by|before|asap|today|tonight|rn)\b/;

function neededByIndex(n: Normalized): number {
  const index = phraseIndex(n, NEEDED_BY);
  return index >= 0 && isServiceLike(n.tokens[index + 1]) ? index : -1;
}

export function deployRule(n: Normalized): Candidate | undefined {
  const { environment, version } = environmentAndVersion(n);
  let verb = deployVerbIndex(n);
  if (verb < 0) verb = nominalDeployIndex(n);
  let confidence = 0.9;
  let guessedVerb = false;
  if (verb < 0) {
    // "payments needs to go to prod", "get ledger-sync 0.9.3 into stage", "i need billing-api on staging with 2.4.0-beta"
    const goes = Math.max(neededByIndex(n), phraseIndex(n, /\b(needs?|has|have|should|must|got|ought) to go (out )?(to|into|on)\b|\bget \S+( \S+){0,2} (out )?(into|onto|on|to)\b|\bneed \S+ (on|in) \S+ with\b|\bmove \S+( \S+)? to\b|\b(need|needs|want|wants) (\S+ ){1,3}(deployed|shipped|released|promoted) (to|into|onto|on|in)\b/));
    const weak = weakVerbIndex(n);
    if (goes >= 0 && environment) {
      verb = goes;
    } else if (weak >= 0 && environment && version) {
      verb = weak;
    } else if (environment && version && !/^(is|are|was|were|did|does|do|what|which|who|how|when|where|why)\b/.test(n.text)) {
      // "need inventory-sync v7.1.0 in staging rn": a service, a version and an environment
      verb = Math.max(0, Math.min(environment.index, version.index) - 1);
      guessedVerb = true;
    } else {
      return undefined;
    }
    confidence = 0.75;
  }
  const word = n.tokens[verb]!.word;
  if (word === 'push' && !environment) return undefined;
  if (word === 'release' && !environment && !version) return undefined;
  if (word === 'deploy' && /^(of|for)$/.test(n.tokens[verb + 1]?.word ?? '') && has(n, FAILURE)) return undefined;
  const exclude = usedIndexes(environment, version);
  // the verb is never its own object: "go ahead and push 2.3.0-rc1 to staging"
  if (!guessedVerb) exclude.add(verb);
  const service = bestService(n, { anchor: verb, exclude });
  if (!service && !environment) {
    if (mentionsNonService(n) || isHowTo(n)) return undefined;
    confidence = 0.6;
  }
  if (mentionsNonService(n) && !environment) return undefined;
  if (isHowTo(n)) confidence = Math.min(confidence, 0.4);
  if (isPastQuestion(n)) confidence = Math.min(confidence, 0.5);
  if (has(n, FAILURE)) confidence = Math.min(confidence, 0.55);
  if (!environment && service) confidence = Math.min(confidence, 0.85);
  return {
    intent: 'deploy',
    slots: slots({ service: service?.value, version: version?.value, environment: environment?.value, force: forced(n) }),
    confidence,
  };
}

/** "recover payments", "mitigate the cart incident with a restart"; not "mitigate the risk of the migration" */
const RECOVER = /\brecover(y|ing)?\b/;
const MITIGATE = /\bmitigat(e|ing)\b/;
const INCIDENT = /\b(incidents?|outages?|alarms?|alerts?)\b/;

/** "There is an outage on cart. Please mitigate it by rolling back": mitigation is a recovery wherever the incident is named. */
export const mitigatesIncident = (n: Normalized): boolean => MITIGATE.test(n.text) && INCIDENT.test(n.text);

const asksRecovery = (n: Normalized): boolean => RECOVER.test(n.text) || mitigatesIncident(n);
const ROLLBACK =
  /\b(roll(ing)?( \S+)? back|rollback|revert|undo|back ?out|go back (with|on|for)|(return|restore|switch back|go back)( \S+){0,2} to (v?\d|the (previous|last|prior|old))|(go|take|bring|put|set|move)( \S+){0,3} back to (the )?(previous|last|prior|old|earlier|known|stable|v?\d+|(release|rel|tag|hotfix)[_/]\w+|r\d+)|back to (the )?(previous|last good|prior|known good) (version|release|build|tag)|downgrade|(need|needs|want|wants) (\S+ ){1,3}(rolled back|reverted))\b/;
const LIGHT_VERB = /^(go|take|bring|put|set|move|return|restore|switch)$/;
const REQUESTING = /^(please|pls|plz|can|could|would|will|need|let's|lets|go|now|quick)\b|\b(please|pls|plz|asap|now|rn|can you|could you|need to|want to|let's|make (it|that|this))\b/;

export function rollbackRule(n: Normalized): Candidate | undefined {
  if (!has(n, ROLLBACK)) return undefined;
  if (/\b(rollback|revert) (is|was|were|would|sounds)\b/.test(n.text)) return undefined;
  // "the ledger rollback last week": talking about a rollback, not asking for one
  if (/\b(the|a|that|this|our|yesterday's) (\S+ )?(rollback|revert)\b/.test(n.text) && !has(n, REQUESTING)) return undefined;
  // "rolling back my new year's resolution"
  if (/\b(roll(ing)? back|rollback|revert(ing)?) (my|your|his|her|our|their)\b/.test(n.text) && !environmentAndVersion(n).environment) return undefined;
  if (asksRecovery(n) || findAlarm(n)) return undefined;
  const cueEnd = phraseEnd(n, ROLLBACK);
  const cueStart = phraseIndex(n, ROLLBACK);
  const { environment } = environmentAndVersion(n);
  const version = targetVersion(n, cueStart);
  const exclude = usedIndexes(environment, version, findVersion(n));
  // "bring cart back to 2.1": the light verb is not the service, and the service follows it
  const lightVerb = LIGHT_VERB.test(n.tokens[cueStart]?.word ?? '');
  if (lightVerb) exclude.add(cueStart);
  const service = bestService(n, { anchor: lightVerb ? cueStart : cueEnd, exclude });
  if (mentionsNonService(n) && !environment && !version && !service?.value.includes('-')) return undefined;
  if (!service && mentionsNonService(n)) return undefined;
  let confidence = service ? 0.9 : 0.7;
  if (isHowTo(n)) confidence = 0.4;
  return {
    intent: 'rollback',
    slots: slots({ service: service?.value, environment: environment?.value, version: version?.value, force: forced(n) }),
    confidence,
  };
}

/** "restart the standup", "restart chrome": the thing restarted is not a service */
function directObjectIsThing(n: Normalized, cue: number): boolean {
  for (let index = cue + 1; index < Math.min(n.tokens.length, cue + 4); index += 1) {
    const word = n.tokens[index]!.word;
    if (/^(the|a|an|this|that|up|down|out|in)$/.test(word)) continue;
    return NON_SERVICE_NOUNS.has(word);
  }
  return false;
}

/** "override the freeze", "ignore the release lock": going past a lock, not lifting it */
export const OVERRIDES_LOCK = /\b(skip(ping)?|ignor(e|ing)|bypass(ing)?|overrid(e|ing)) (the |any )?((deploy|deployment|release|code|change) )?(freeze|lock)\b/;

/** "--force", "force it", "with override", "override the freeze": an explicit request to skip failed checks or a lock. */
const FORCE = new RegExp(
  String.raw`(^|\s)(--force|-f|--override)\b|\bforce(d|fully)?\b|\b(anyway|regardless)\b|\bwith (an? |the )?override\b|\boverriding\b|` +
    String.raw`\b(skip(ping)?|ignor(e|ing)|bypass(ing)?|overrid(e|ing)|without( running| waiting for)?) (the |all |any )?` +
    String.raw`((failing|failed|red|flaky|canary|ci|pipeline|health|quality|smoke|integration|e2e|unit|regression|acceptance|security) )?(checks?|gates?|tests?|approvals?|sign-offs?|reviews?)\b|` +
    OVERRIDES_LOCK.source,
);

function forced(n: Normalized): true | undefined {
  return FORCE.test(n.text) ? true : undefined;
}

const CLAUSE_BREAK = /[,;:.?!—–]/;
const BREAKAGE = /^(broke|breaks|broken|break|introduced|caused|causes|regressed|bug|buggy|bad|faulty)$/;

/** "roll reports back on prod, the 3.2 release broke exports": a version in another clause, named for what it broke. */
function explainsBreakage(n: Normalized, index: number, cueStart: number): boolean {
  let start = index;
  while (start > 0 && !CLAUSE_BREAK.test(n.tokens[start - 1]!.after)) start -= 1;
  let end = index;
  while (end < n.tokens.length - 1 && !CLAUSE_BREAK.test(n.tokens[end]!.after)) end += 1;
  if (cueStart >= start && cueStart <= end) return false;
  return n.tokens.slice(start, end + 1).some((token) => BREAKAGE.test(token.word));
}

/** The version to go back to: after "to"/"version", or after the rollback words; not the bad one named before. */
function targetVersion(n: Normalized, cueStart: number): Found | undefined {
  for (let index = 0; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    const raw = token.raw.includes('@') ? token.raw.slice(token.raw.indexOf('@') + 1) : token.raw;
    if (!isVersion(raw) || /^\d+$/.test(raw) || isClockTime(n, index)) continue;
    if (explainsBreakage(n, index, cueStart)) continue;
    const previous = n.tokens[index - 1]?.word ?? '';
    const next = n.tokens[index + 1]?.word ?? '';
    // "the new version 4.0.0 has a memory leak": the bad version, not the target
    if (/^(new|bad|broken|current|latest|faulty|buggy)$/.test(n.tokens[index - 2]?.word ?? '') || /^(new|bad|broken|current|latest)$/.test(previous)) continue;
    if (/^(has|is|broke|breaks|introduced|causes|caused|was)$/.test(next)) continue;
    if (/^(to|version|tag|ref|at|@)$/.test(previous) || (index > cueStart && cueStart >= 0 && !/^(from)$/.test(previous))) {
      return { value: raw, index };
    }
  }
  return undefined;
}

/** Slang for freeing disk: "nuke the disk", "wipe old logs", "purge tmp"; not a cache, which is a CDN's. */
const CLEANUP_VERB = /(nuke|nuking|wipe|wiping|purge|purging|clear|clearing|free up|freeing up|trim|trimming)( out)?/;
const CLEANUP_OBJECT = /(the |some |old |all |stale |temp |its |their )*(disk|disks|disk space|space|logs?|log files|tmp|temp|volume|volumes|files)/;
const CLEANUP = new RegExp(
  String.raw`\b(cleanup(?! (script|job|task|cron|step|stage|policy))|clean(ing|ed)? (\S+ )?up|clean(ing)? (out|the)|clear (out )?(the )?(old )?(cache|caches)|` +
    String.raw`free( up)? (some )?(disk|space)|purge (the )?(cache|tmp)|prune|${CLEANUP_VERB.source} ${CLEANUP_OBJECT.source})\b`,
);

/** The words of the recovery phrase that are the verb itself: "bounce", but not "cart" in "roll cart back". */
function verbTokens(n: Normalized, pattern: RegExp | undefined, end: number): Set<number> {
  const verbs = new Set<number>();
  if (!pattern) return verbs;
  for (let index = Math.max(0, phraseIndex(n, pattern)); index <= end; index += 1) {
    if (pattern.test(n.tokens[index]!.word)) verbs.add(index);
  }
  return verbs;
}

export function recoverRule(n: Normalized): Candidate | undefined {
  const alarm = findAlarm(n);
  let action: string | undefined;
  let cue = -1;
  let cuePattern: RegExp | undefined;
  if (has(n, CLEANUP)) {
    action = 'cleanup';
    cuePattern = CLEANUP;
  } else {
    for (const [pattern, recovery] of RECOVERY_WORDS) {
      if (recovery === 'cleanup' || (recovery === 'rollback' && !alarm && !asksRecovery(n))) continue;
      if (has(n, pattern)) {
        action = recovery;
        cuePattern = pattern;
        break;
      }
    }
  }
  if (cuePattern) cue = phraseEnd(n, cuePattern);
  const recoverWord = asksRecovery(n);
  if (!action && !recoverWord) return undefined;
  if (!action && !alarm && isHowTo(n)) return undefined;
  if (recoverWord && cue < 0) cue = tokenIndex(n, /^recover/);
  const verb = verbTokens(n, cuePattern, cue);
  if (/^(my|your|his|her|their)$/.test(n.tokens[cue + 1]?.word ?? '')) return undefined;
  // "the scale of the y axis", "on a scale of 1 to 10": scale as a noun
  if (/\b(the|a|on a) scale of\b|\bscale of \d/.test(n.text) && action === 'scale') return undefined;
  if (directObjectIsThing(n, cue)) return undefined;
  if (/\b(my|your|his|her|our|the) (laptop|computer|machine|phone|pc|mac|screen|browser|vpn|router|wifi|team|ide|editor|org|company|headcount)\b/.test(n.text)) return undefined;
  const { environment } = environmentAndVersion(n);
  // the verb is never its own object: "cart prd down, bounce it"
  const service = bestService(n, { anchor: cue, exclude: new Set([...usedIndexes(environment, alarm), ...verb]) });
  if (!service && !alarm) {
    if (mentionsNonService(n) || /\b(my|the) (laptop|team|screen|computer|machine)\b/.test(n.text)) return undefined;
  }
  if (service && /^(my|your)$/.test(n.tokens[service.index - 1]?.word ?? '')) return undefined;
  let confidence = service || alarm ? 0.88 : 0.6;
  if (!action) confidence = Math.min(confidence, 0.75);
  if (isHowTo(n) && !alarm) confidence = 0.4;
  return {
    intent: 'recover',
    slots: slots({ service: service?.value, action, alarm: alarm?.value, environment: environment?.value }),
    confidence,
  };
}
