import { bestService, environmentOf, findNumber, isServiceLike, userReference } from './entities.js';
import { CALENDAR_WORDS, ENVIRONMENT_WORDS, NON_SERVICE_NOUNS, ROLE_WORDS, STOPWORDS, WEAK_ENVIRONMENT_WORDS } from './lexicon.js';
import type { Normalized, Token } from './normalize.js';
import { OVERRIDES_LOCK } from './rules-change.js';
import { environmentAndVersion, has, mentionsNonService, phraseEnd, phraseIndex, slots, tokenIndex, trailingReason, usedIndexes, type Candidate } from './support.js';

/** Rules for talking to the bot itself: help, whoami, grant, revoke, lock, unlock, audit. */

const TOPICS: Array<[RegExp, string]> = [
  [/\b(deploy|deploys|deploying|deployment|ship|release)\b/, 'deploy'],
  [/\b(rollback|roll back|rolling back|revert)\b/, 'rollback'],
  [/\b(scaffold|scaffolding|new service|templates?)\b/, 'scaffold'],
  [/\b(status)\b/, 'status'],
  [/\b(troubleshoot|troubleshooting|failed pipelines?|debug)\b/, 'troubleshoot'],
  [/\b(recover|recovery|restart|scale|cleanup|incidents?)\b/, 'recover'],
  [/\b(unlock|unlocking)\b/, 'unlock'],
  [/\b(lock|locks|locking|freeze)\b/, 'lock'],
  [/\b(grant|granting|roles?|permissions?)\b/, 'grant'],
  [/\b(revoke|revoking)\b/, 'revoke'],
  [/\b(audit|audit log|audit trail)\b/, 'audit'],
  [/\b(approvals?|approve|approving|four[- ]eyes)\b/, 'approvals'],
];

const HELP = [
  /^help\b(?! me (write|with my|to write|find|plan|book))/,
  /\b(command|feature)s? (work|works|do|does)\b|\b(manual|docs|documentation|guide|usage|syntax) (for|about|on|of)\b/,
  /\bexplain( me| to me| us)? how\b|\bwhat does (the )?(\S+ ){1,2}do\b/,
  /\bhow (to|do i|can i|should i|do we) \S+ with (you|aiops)\b|\bwhat (do )?i need to (write|type|say)\b|\bhow (does|do) (this|the|you|aiops)( bot)? work\b/,
  /^(usage|commands|menu|options|\?)\W*$/,
  /\bwhat (can|do|else can) you do\b|\bwhat are you (capable of|able to do|for)\b|\bwhat do you (do|support)\b/,
  /\b(what|which|list( the)?|show( me)?( the)?|available) commands\b|\bcommands (are there|do you (have|support|know))\b/,
  /\bhow (do|can|should) (i|we) use\b|\bhow does \S+( \S+)? work\b|\bhow (do|does) (the )?\S+ (command|work)\b|\bexplain how\b/,
  /\b(options|usage|syntax|arguments|flags) (for|of)\b|\b(syntax|usage)\W*$/,
  /\bwhat does \S+ do\b/,
  /\bhow (do|can|should|would) (i|we) (talk|speak|chat|interact|communicate|work) (to|with) (you|aiops|(this|the) (bot|thing))\b/,
];

/** "how do I deploy?": probably a question about the command, unless the message says more */
const HOW_TO_VERB = /^how (to|do i|can i|do we|should i|shall i) (deploy|rollback|roll back|scaffold|lock|unlock|grant|revoke|restart|scale|audit|troubleshoot|recover)\b(?!.*\b(prod|staging|dev|production|stg)\b)/;

export function helpRule(n: Normalized): Candidate | undefined {
  const howTo = HOW_TO_VERB.test(n.text);
  if (!HELP.some((pattern) => pattern.test(n.text)) && !howTo) return undefined;
  if (/\bhelp me\b/.test(n.text) && !/\bhelp me (use|understand|with (aiops|you))\b/.test(n.text)) return undefined;
  if (mentionsNonService(n) && !/^help\b/.test(n.text)) return undefined;
  const topic = TOPICS.find(([pattern]) => pattern.test(n.text.replace(/^help\b/, '')))?.[1];
  const aboutUsage = /\b(usage|syntax|options|arguments|flags|how (do|can|should) (i|we) use|how does|command|commands|manual|docs|documentation|explain)\b/.test(n.text);
  const confidence = aboutUsage ? 0.95 : HELP.some((pattern) => pattern.test(n.text)) ? 0.9 : 0.7;
  return { intent: 'help', slots: slots({ topic }), confidence };
}

/** "which user am I logged in as (to the bot)", "what account do you see me as"; not "what user am I running as on the box" */
const WHICH_USER =
  /\b(which|what) (user|account|username|identity|login) (am i( (logged|signed) in( as)?| known as| seen as)?|do you (see|know) me as|does (the bot|aiops) (see|know) me as)( (here|to (you|the bot|aiops)|in aiops|with (you|the bot|aiops)))?(,|$)/;

export function whoamiRule(n: Normalized): Candidate | undefined {
  const explicit = /\bwhoami\b/.test(n.text);
  if (explicit) {
    const after = n.text.slice(n.text.indexOf('whoami') + 'whoami'.length).replace(/[,?!.]/g, '').trim();
    if (after && !/^((logged in|signed in|known|seen) )?(as ?)?(here|in aiops|to you|for you|again|now|exactly|actually|in this (channel|workspace|team))?$/.test(after)) return undefined;
    return { intent: 'whoami', slots: {}, confidence: 0.95 };
  }
  const asking =
    /\b(my|mine) (current |actual |present |own )?(role|roles|permissions?|access|access level|rights|privileges|group)\b/.test(n.text) ||
    /\b(which|what) (role|roles|permissions?|access level|access|rights)\b.*\b(assigned to|given to|for|of) (my|me)\b/.test(n.text) ||
    /\b(what|which) (role|roles|permissions?|access|access level|rights) (do |have |am )?i( have| got| hold)?\b/.test(n.text) ||
    /\bam i (an? )?(admin|devops|developer|viewer|senior[ _-]?dev|allowed|authori[sz]ed|able)\b/.test(n.text) ||
    /\bwhat can i do\b/.test(n.text) ||
    // "which user am I logged in as", "what account do you see me as"
    WHICH_USER.test(n.text);
  return asking ? { intent: 'whoami', slots: {}, confidence: 0.85 } : undefined;
}

const GRANT_VERB = /^(grant|give|make|promote|add|set|assign|upgrade|elevate|provide)$/;

export function grantRule(n: Normalized): Candidate | undefined {
  const verb = tokenIndex(n, GRANT_VERB);
  if (verb < 0) return undefined;
  const explicit = n.tokens[verb]!.word === 'grant';
  // "grant" may come last ("... user is sofia.m, could you grant please?"): then the role is anywhere
  const scope = explicit ? n.text : n.tokens.slice(verb + 1).map((token) => token.word).join(' ');
  const role = ROLE_WORDS.find(([pattern]) => pattern.test(scope));
  if (!role) return undefined;
  // "dev" is also an environment: as a role it needs "a/as/an dev"
  if (role[1] === 'developer' && !/\b(developers?|engineer)\b|\b(a|an|as|to) dev\b/.test(scope)) return undefined;
  const user = grantee(n, explicit ? 0 : verb + 1);
  if (!user && !explicit) return undefined;
  return { intent: 'grant', slots: slots({ user, role: role[1] }), confidence: user ? 0.9 : 0.7 };
}

const NOT_A_USER =
  /^(senior|dev|devs|developer|developers|devops|ops|sre|admin|admins|administrator|viewer|read-only|readonly|read|only|observer|engineer|superuser|access|role|rights|permissions?|level|an?|as|to|the|me|for|new|external|internal|intern|contractor|auditor|colleague|teammate|user|username|id|is|in|aiops|please|pls|needs?|give|grant|make|add|set|assign|promote|upgrade|elevate)$/;

/**
 * Who gets the role: a mention, the value after "user"/"username"/"id", an id-like token
 * (dots, dashes, digits), or else the first plain name.
 */
function grantee(n: Normalized, from: number): string | undefined {
  const tokens = n.tokens.slice(from);
  const mention = tokens.find((token) => /^<@[A-Z0-9]+/.test(token.raw) || token.raw.startsWith('@'));
  if (mention) return userReference(mention);
  const labelled = tokens.findIndex((token, index) => /^(user|username|id|login|handle)$/.test(token.word) && tokens[index + 1] !== undefined);
  if (labelled >= 0) {
    const value = tokens[labelled + 1]!.word === 'is' ? tokens[labelled + 2] : tokens[labelled + 1];
    const user = value && !NOT_A_USER.test(value.word) ? userReference(value) : undefined;
    if (user) return user;
  }
  const candidates = tokens.filter(
    (token) => !NOT_A_USER.test(token.word) && !(token.word in ENVIRONMENT_WORDS) && !STOPWORDS.has(token.word) && !ROLE_WORDS.some(([pattern]) => pattern.test(token.word)),
  );
  const idLike = candidates.find((token) => /[.\-_\d:]/.test(token.raw));
  return userReference(idLike ?? candidates[0]);
}

const REVOKE = /\b(revoke|revoking)\b|\b(remove|take away|strip|drop|delete|pull|cancel)\b.*\b(access|permissions?|rights|role|roles|privileges|admin)\b|\b(remove|kick) \S+ from aiops\b/;

export function revokeRule(n: Normalized): Candidate | undefined {
  if (!has(n, REVOKE)) return undefined;
  const start = phraseIndex(n, /\b(revoke|revoking|remove|take|strip|drop|delete|pull|cancel|kick)\b/);
  const skip = /^(access|permissions?|rights|role|roles|privileges|away|for|from|all|of|admin|his|her|their|aiops|please|pls|user|username|with|immediate|effect)$/;
  for (let index = start + 1; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    if (skip.test(token.word)) continue;
    // "revoke the meeting invite": people are not "the" anything
    if (/^(the|a|an|my|this|that)$/.test(token.word)) {
      const next = n.tokens[index + 1]?.word ?? '';
      if (/^(access|permissions?|rights|role|roles|privileges)$/.test(next)) continue;
      return undefined;
    }
    if (NON_SERVICE_NOUNS.has(token.word)) return undefined;
    const user = userReference(token);
    if (user) return { intent: 'revoke', slots: { user }, confidence: 0.9 };
  }
  return { intent: 'revoke', slots: {}, confidence: 0.6 };
}

/** "the lock policy", "lock rules": lock as the first half of a compound noun */
const LOCK_NOUN_HEAD = /^(policy|policies|rule|rules|process|procedure|procedures|doc|docs|page|mechanism|feature|command|button|icon|logic|owner|holder|timeout|ttl|expiry|discussion|conversation)$/;

const LOCK = /\b(lock|locking|freeze|lock down|block (all )?deploys|no (more )?deploys)\b/;

export function lockRule(n: Normalized): Candidate | undefined {
  if (!has(n, LOCK) || has(n, /\b(unlock|unfreeze)\b/) || has(n, OVERRIDES_LOCK)) return undefined;
  const cue = phraseIndex(n, LOCK);
  const previous = n.tokens[cue - 1]?.word ?? '';
  const next = n.tokens[phraseEnd(n, LOCK) + 1]?.word ?? '';
  if (/^(the|a|this|that|our|code|deploy|deployment|release)$/.test(previous)) return undefined;
  // "the prod lock", "our staging freeze": an environment's lock, as a noun
  if (environmentOf(n.tokens[cue - 1]) && /^(the|a|this|that|our|their|any)$/.test(n.tokens[cue - 2]?.word ?? '')) return undefined;
  if (/^(is|was|will|starts|ends|begins|period|window)$/.test(next) || LOCK_NOUN_HEAD.test(next)) return undefined;
  if (/^(my|your|the)$/.test(next) && /^(screen|laptop|computer|door|phone|account)$/.test(n.tokens[phraseEnd(n, LOCK) + 2]?.word ?? '')) return undefined;
  if (/\b(my|your) (screen|laptop|computer|door|phone)\b/.test(n.text)) return undefined;
  const { environment } = environmentAndVersion(n);
  const reason = trailingReason(n, cue) ?? n.closingQuote ?? reasonAfterFor(n, cue, environment?.index);
  const reasonStart = reason ? reasonIndex(n, reason) : n.tokens.length;
  const exclude = usedIndexes(environment);
  for (let index = reasonStart; index < n.tokens.length; index += 1) exclude.add(index);
  const service = bestService(n, { anchor: phraseEnd(n, LOCK), exclude });
  if (!service && !environment) return undefined;
  if (!environment && mentionsNonService(n)) return undefined;
  return {
    intent: 'lock',
    slots: slots({ service: service?.value, environment: environment?.value, reason }),
    confidence: service && environment ? 0.92 : 0.75,
  };
}

/** "for 2 hours", "for the freeze", "for tomorrow", "for me": how long, or a plain noun, not a reason someone wrote */
const NOT_A_REASON_START =
  /^(\d.*|the|a|an|this|that|these|those|next|now|today|tonight|tomorrow|some|all|me|us|him|her|them|everyone|everybody|one|two|three|few|several|couple|another|ever|awhile|until|at|least)$/;

/** "lock notifications on uat for QA sign-off": the words after "for", to the end of their clause, as written. */
function reasonAfterFor(n: Normalized, cue: number, environment: number | undefined): string | undefined {
  const at = tokenIndex(n, /^for$/, cue + 1);
  if (at < 0) return undefined;
  const words: Token[] = [];
  for (let index = at + 1; index < n.tokens.length; index += 1) {
    const token = n.tokens[index]!;
    // "lock cart for prod", "lock prod for ledger-core": a target, not a reason
    if (index === environment || (token.word in ENVIRONMENT_WORDS && !WEAK_ENVIRONMENT_WORDS.has(token.word))) return undefined;
    words.push(token);
    if (/[,;.!?—–]/.test(token.after)) break;
  }
  const first = words[0]?.word ?? '';
  if (words.length < 2 || NOT_A_REASON_START.test(first) || CALENDAR_WORDS.has(first)) return undefined;
  // "lock staging for cart and orders": with no service before it, "for" introduces the service
  const serviceBefore = n.tokens.slice(cue + 1, at).some((token) => isServiceLike(token));
  if (!serviceBefore && isServiceLike(words[0])) return undefined;
  return words.map((token) => token.raw).join(' ');
}

function reasonIndex(n: Normalized, reason: string): number {
  const first = reason.split(' ')[0];
  for (let index = n.tokens.length - 1; index >= 0; index -= 1) {
    if (n.tokens[index]!.raw === first) return index;
  }
  return n.tokens.length;
}

const UNLOCK = /\b(unlock|unfreeze|thaw|(lift|remove|drop|release|end|clear) (the )?((deploy|deployment|deploys|release|code|change) )?(lock|freeze))\b|\bfreeze is over\b/;

export function unlockRule(n: Normalized): Candidate | undefined {
  if (!has(n, UNLOCK) || has(n, OVERRIDES_LOCK)) return undefined;
  if (/\b(my|your|his|her) (\S+ )?(account|password|laptop|phone|screen|door|computer|mac|pc|user)\b/.test(n.text)) return undefined;
  const { environment } = environmentAndVersion(n);
  const anchor = phraseEnd(n, /\b(unlock|unfreeze|thaw|lock|freeze)\b(?!.*\b(unlock|unfreeze)\b)/);
  const service = bestService(n, { anchor, exclude: usedIndexes(environment) });
  if (!service && !environment && !/\bunlock\b/.test(n.text)) return undefined;
  return {
    intent: 'unlock',
    slots: slots({ service: service?.value, environment: environment?.value }),
    confidence: service && environment ? 0.92 : 0.75,
  };
}

export function auditRule(n: Normalized): Candidate | undefined {
  const auditWord = /\baudit\b/.test(n.text);
  const whoDid = /\bwho did what\b|\b(activity|action|change) (log|history|trail)\b/.test(n.text);
  if (!auditWord && !whoDid) return undefined;
  // the audit trail, not an audit: "audit", "audit 50", "audit log", "show the audit entries"
  const trail =
    /^audit(,)?( (\d+|last \d+|--limit|--last|-n|limit|pls|please|log|trail|entries|history|records?|recent|latest|today))*,?$/.test(n.text) ||
    /\baudit (log|trail|entries|history|records?|events)\b/.test(n.text) ||
    /\b(show|list|get|see|check|view|print|display|pull|read|dump)( me)?( the)?( last \d+| latest| recent)? audit\b/.test(n.text);
  if (auditWord && !trail && !whoDid) return undefined;
  const number = findNumber(n);
  const limit = number && number.value > 0 && number.value <= 200 ? number.value : undefined;
  return { intent: 'audit', slots: slots({ limit }), confidence: 0.9 };
}
