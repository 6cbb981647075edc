import type { IntentName } from '../schema.js';
import type { Normalized } from './normalize.js';

/**
 * How a sentence is meant, beyond its words: a request ("can you...", "please", an imperative),
 * a story about the past, a discussion, a negation or a question. Chat is full of our verbs
 * used in stories ("yesterday's deploy went smooth"), so these adjust how sure a rule may be.
 */

const OUR_VERBS =
  /^(deploy|ship|release|push|promote|roll|rollback|revert|undo|restart|reboot|bounce|scale|cleanup|clean|recover|lock|unlock|freeze|grant|give|make|revoke|remove|scaffold|create|bootstrap|generate|spin|status|troubleshoot|diagnose|debug|investigate|audit|help|show|list|check|bump|upgrade|go|take|bring|need)$/;

const REQUEST = /\b(please|pls|plz|kindly|can (you|u|we)|could (you|u|we)|would (you|u)|will (you|u)|(would|do) you mind|mind (\S+ing)|go ahead|(let's|lets)(?! (discuss|talk about|chat about|go over))|need you to|(?<!\b(do|does|did) )(i|we) need|i want( you)? to|asap|right away|if possible|is it possible to|would it be possible|possible to)\b/;
const PAST = /\b(yesterday|last (time|night|week|month|quarter|sprint|year|friday|monday)|earlier today|went (super |really |very )?(smooth|well|fine|great|ok)|went out|congrats|congratulations|good job|well done|kudos|shout ?out|thanks for|thank you for|we were|we did|we had|was done|were done|(decided|announced|agreed|planned) to)\b/;
const DISCUSSION = /\b(i think|i guess|we should|should we|shall we|what do (you|u)( guys| all| folks)? think|thoughts|wondering if|not sure (if|whether)|asking for a friend|is this the right|(we'll|we will|to|let's|lets) (discuss|talk about|go over)|discussing|talking about)\b/;
/** "does anyone know a good deploy tool", "can anybody recommend...": a question to the people in the channel, not to the bot */
const ASKING_PEOPLE =
  /\b(does|do|did|has|have) (anyone|anybody|someone|somebody|any of you|you guys|you all|y'all) (know|knows|recommend|tried|used|remember)\b|\b(can|could) (anyone|anybody|someone|somebody) recommend\b|^(anyone|anybody) (know|tried|used|recommend)\b/;
const NEGATION = '\\b(cannot|can not|can\'t|unable to|not able to|didn\'t|did not|don\'t|do not|won\'t|will not|never|nobody|no one|noone) (\\S+ )?';
const VERBS: Partial<Record<IntentName, string>> = {
  deploy: '(deploy|ship|release|push)',
  rollback: '(roll|rollback|revert|undo)',
  recover: '(restart|reboot|scale|clean|cleanup|recover)',
  scaffold: '(create|scaffold|generate|make)',
  lock: '(lock|freeze)',
  unlock: '(unlock|unfreeze)',
  grant: '(grant|give|make|add)',
  revoke: '(revoke|remove)',
};
/** "nobody deploy search", "I can't deploy": the verb of this intent, negated */
const negated = (n: Normalized, intent: IntentName): boolean => {
  const verb = VERBS[intent];
  return verb !== undefined && new RegExp(`${NEGATION}${verb}\\b`).test(n.text);
};
const QUESTION_START = /^(is|are|was|were|did|does|do|has|have|which|what|who|whom|when|where|why|how)\b/;

/** "deploying on fridays is stressful", "rolling back is the safest option": the activity is the subject of a statement */
const GERUND_SUBJECT =
  /^(deploying|releasing|shipping|pushing|promoting|rolling( \S+)? back|rolling out|reverting|restarting|rebooting|scaling|locking|unlocking|scaffolding|recovering)\b[^,]* (is|are|was|were|feels|seems|sounds|gets|has been|can be|makes|takes)\b/;
/** "the new version of Slack is awful": an opinion, not a question or a request */
const OPINION =
  /\b(is|are|was|were|feels?|seems?|looks?|sounds?) (so |really |pretty |kinda |kind of |very |super |just |quite |too |honestly |absolutely )*(awful|terrible|horrible|stressful|annoying|painful|boring|ugly|confusing|amazing|awesome|lovely|beautiful|fun|scary|exhausting|overrated|underrated|hilarious|cursed|garbage|trash|the worst|the best)\b/;

export const isOpinion = (n: Normalized): boolean => OPINION.test(n.text) && !REQUEST.test(n.text);

/** Intents that change something: they need a real request, not a story about one. */
const ACTIONS = new Set<IntentName>(['deploy', 'rollback', 'recover', 'scaffold', 'lock', 'unlock', 'grant', 'revoke']);

export const isRequest = (n: Normalized): boolean => REQUEST.test(n.text) || OUR_VERBS.test(n.tokens[0]?.word ?? '');

/** How much to take off an action's confidence for the way the sentence is put. */
export function discount(n: Normalized, intent: IntentName): number {
  if (!ACTIONS.has(intent)) return 0;
  const request = isRequest(n);
  let off = 0;
  if (negated(n, intent)) off = Math.max(off, 0.4);
  if (request) return off;
  if (PAST.test(n.text)) off = Math.max(off, 0.4);
  if (DISCUSSION.test(n.text)) off = Math.max(off, 0.35);
  if (ASKING_PEOPLE.test(n.text)) off = Math.max(off, 0.4);
  if (QUESTION_START.test(n.text)) off = Math.max(off, 0.3);
  if (GERUND_SUBJECT.test(n.text) || isOpinion(n)) off = Math.max(off, 0.4);
  return off;
}
