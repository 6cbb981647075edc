import type { IntentName } from '../schema.js';
import type { Normalized } from './normalize.js';

/**
 * Sentences that name an action without asking for it: "please do NOT roll back auth", "restarted
 * s3-sync, seems fine now", "if the tests pass we'll deploy search", "heads up: staging will be down".
 * Acting on one of these is worse than missing a request, so they veto the action outright
 * instead of lowering how sure a rule is.
 */

interface VerbForms {
  /** every form: "deploy", "deploys", "deploying", "deployed" */
  any: string;
  /** what a report of a finished action uses: "deployed", "rolled web back" */
  done: string;
  /** "stop deploying": only the -ing forms, so "stop the cart deploy" is left as it is */
  doing: string;
}

/** Between two words of a phrase: up to two words, never across a clause break. */
const GAP = '(?: [^\\s,]+){0,2}';

const FORMS: Partial<Record<IntentName, VerbForms>> = {
  deploy: {
    any: 'deploy(?:s|ed|ing)?|ship(?:s|ped|ping)?|releas(?:e|es|ed|ing)|push(?:es|ed|ing)?|promot(?:e|es|ed|ing)|roll(?:s|ed|ing)? out',
    done: 'deployed|shipped|released|pushed|promoted|rolled out',
    doing: 'deploying|shipping|releasing|pushing|promoting|rolling out',
  },
  rollback: {
    any: `roll(?:s|ed|ing)?${GAP} back|rollback(?:s|ed)?|revert(?:s|ed|ing)?|undo(?:ne|ing)?|undid`,
    done: `rolled${GAP} back|reverted|undid`,
    doing: `rolling${GAP} back|reverting`,
  },
  // a recovery may be a rollback too: "cart-5xx is firing, roll cart back"
  recover: {
    any: `re_?start(?:s|ed|ing)?|reboot(?:s|ed|ing)?|bounc(?:e|es|ed|ing)|recycl(?:e|es|ed|ing)|scal(?:e|es|ed|ing)|clean(?:s|ed|ing)?(?: \\S+)? up|cleanup|recover(?:s|ed|ing)?|roll(?:s|ed|ing)?${GAP} back|rollback|revert(?:s|ed|ing)?`,
    done: `re_?started|rebooted|bounced|recycled|scaled|cleaned(?: \\S+)? up|recovered|purged|wiped|rolled${GAP} back|reverted`,
    doing: `re_?starting|rebooting|bouncing|recycling|scaling|cleaning(?: \\S+)? up|rolling${GAP} back|reverting`,
  },
  lock: { any: 'lock(?:s|ed|ing)?|freez(?:e|es|ing)|froze', done: 'locked|froze', doing: 'locking|freezing' },
  unlock: { any: 'unlock(?:s|ed|ing)?|unfreez(?:e|es|ing)|unfroze|thaw(?:s|ed|ing)?', done: 'unlocked|unfroze|thawed', doing: 'unlocking|unfreezing|thawing' },
  grant: { any: 'grant(?:s|ed|ing)?', done: 'granted', doing: 'granting' },
  revoke: { any: 'revok(?:e|es|ed|ing)', done: 'revoked', doing: 'revoking' },
  scaffold: { any: 'scaffold(?:s|ed|ing)?|bootstrap(?:s|ped|ping)?', done: 'scaffolded|bootstrapped', doing: 'scaffolding|bootstrapping' },
};

/** "do not roll back", "hold off on deploying", "no need to restart", "stop restarting": the action is forbidden */
const FORBIDDING =
  "(?:do not|don't|dont|never(?! mind)|not|no need to|hold off(?: on| with)?|wait with|refrain from|avoid)(?! (?:forget|hesitate|wait|only)\\b)";
/** "we'll deploy", "I'm going to roll back", "let's deploy on thursday": the speaker's own plan */
const PLANNING =
  "(?:i'll|we'll|i will|we will|i'm going to|im going to|i am going to|we're going to|we are going to|gonna|(?:i|we) plan to|planning to)(?! (?:need|want|have to ask)\\b)";
/** "we might need to roll back", "we could restart": a possibility, not a request */
const HEDGING = '(?:might|(?:i|we|they) (?:may|could))';
/** "did you restart gateway already?", "has anyone deployed cart": a question about what someone did */
const ASKING_WHO_DID = "^(?:@\\S+ )?(?:did|have|has|had) (?:you|u|you guys|y'all|he|she|they|someone|somebody|anyone|anybody)(?: already| just| ever| actually)?";
/** "I scaled ui down", "restarted s3-sync, ...", "cart was rolled back": a report of something done */
const REPORTING = "(?:^|, )(?:just |already |finally )?|\\b(?:i|we|i've|we've|i have|we have|he|she|they|someone|somebody)(?: just| already| also| finally)? |\\b(?:has been|have been|was|were|got|is|are) (?:already |just |now |successfully )?";

/** "cart v1.9.2 is out in prod", "search is live on staging": a deploy that has happened */
const IS_OUT = /\b(is|are|went|has gone|have gone) (now |already |finally )?(out|live) (in|on|to|at|for)\b/;
/** "heads up:", "FYI", "reminder:": an announcement to the channel */
const ANNOUNCING = /^(just )?(fyi|heads up|heads_up|psa|(a |friendly |quick )?reminder|announcement)\b|^note,/;
/** "if the tests pass, ...", "once QA signs off, ...": a condition the bot cannot wait for; not "if possible, ...", "if not, ..." */
const CONDITIONAL =
  /^(if|once|as soon as|unless) (?!(possible|you|u|not|needed|necessary|required|ok|okay|it's ok|its ok|that's ok|thats ok|that works|no one objects|nobody objects|no objections)\b)/;
/** "would it be crazy to lock prod", "what if we deployed": a hypothetical, not a request */
const HYPOTHETICAL =
  /\b(would|will|is) it be (crazy|bad|wise|smart|worth|better|safer|risky|dangerous|overkill|too much|a (good|bad|terrible|crazy|dumb) idea)\b|\bis it (crazy|wise|smart|worth|risky|dangerous|overkill|a (good|bad|terrible|crazy|dumb) idea)\b|\b(would|does) it make sense\b|\bwhat if\b/;
/** "let's deploy on thursday": a plan for later; "let's roll back cart" is a request */
const LATER =
  /\b(let's|lets|let us)(?: [^\s,]+){0,8} (tomorrow|later|next (week|month|sprint|release|time)|(on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|thurs|fri)|this (afternoon|evening|weekend))\b/;

const compiled = new Map<IntentName, RegExp[]>();

function patternsFor(intent: IntentName): RegExp[] {
  const cached = compiled.get(intent);
  if (cached) return cached;
  const forms = FORMS[intent];
  const patterns = forms
    ? [
        new RegExp(`\\b${FORBIDDING}${GAP} (?:${forms.any})\\b`),
        new RegExp(`\\bstop (?:${forms.doing})\\b`),
        new RegExp(`\\b${PLANNING}${GAP} (?:${forms.any})\\b`),
        new RegExp(`\\b${HEDGING}${GAP} (?:${forms.any})\\b`),
        new RegExp(`${ASKING_WHO_DID} (?:${forms.any})\\b`),
        new RegExp(`(?:${REPORTING})(?:${forms.done})\\b`),
      ]
    : [];
  compiled.set(intent, patterns);
  return patterns;
}

/**
 * True when the clause names the intent's action but does not ask for it. What opens the sentence
 * ("heads up:", "if the tests pass, ...") holds back all of it; the rest only its own clause, so
 * "cart 1.2 is out in prod, please deploy orders 2.0 too" still asks for a deploy.
 */
export function notAskedFor(intent: IntentName, clause: Normalized, sentence: Normalized = clause): boolean {
  if (!FORMS[intent]) return false;
  if (ANNOUNCING.test(sentence.text) || CONDITIONAL.test(sentence.text) || HYPOTHETICAL.test(sentence.text)) return true;
  if (LATER.test(clause.text) || (intent === 'deploy' && IS_OUT.test(clause.text))) return true;
  return patternsFor(intent).some((pattern) => pattern.test(clause.text));
}
