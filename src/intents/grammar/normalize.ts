import { editDistance } from '../../text/similarity.js';
import { COMMON_WORDS, ENVIRONMENT_WORDS, KEYWORDS } from './lexicon.js';

export interface Token {
  /** as written, trailing punctuation removed (versions keep their case) */
  raw: string;
  /** lower case, spelling of our keywords corrected */
  word: string;
  /** punctuation that followed the token (",", ":", "?", "—"...), used to find clause breaks */
  after: string;
  /** written as `code`: people quote names that way */
  quoted?: boolean;
}

export interface Normalized {
  original: string;
  /** the cleaned text, lower case, keywords corrected, single spaces */
  text: string;
  tokens: Token[];
  /** true when the message was a slash command (`/aiops ...`) */
  slash: boolean;
  /** a quoted phrase that ends the message, as written: `lock cart prod "pen test in progress"` gives a reason */
  closingQuote?: string;
}

const LEADING_ADDRESS =
  /^(?:\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*<\/at>|@?aiops\b|\/aiops\b|(?:hey|hi|hello|yo|ok|okay|so)\b)\s*[,:;!-]?\s*)+/i;
/** Our command verbs: a code span that starts with one is a command typed as code, not pasted data. */
const COMMAND_SPAN =
  /^(\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*<\/at>|@?aiops\b)?\s*[,:]?\s*)((?:please|pls|plz|can you|could you)\s+)?(?:(?:run|exec|execute|do)\s*:?\s+)?(`{1,3})\s*((?:\/aiops\s+)?(?:deploy|rollback|status|troubleshoot|recover|scaffold|lock|unlock|grant|revoke|audit|help|whoami)\b[^`\n]*?)\s*\3\s*[,.]?\s*((?:please|pls|plz|thanks|thx|ty)\b)?[.!?]*\s*$/i;
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|\u{FE0F}|\u{200D}/gu;
const EMOJI_CODE = /(^|\s):[a-z0-9_+-]+:(?=\s|$)/g;

/**
 * Pasted material is data, not a request: code blocks, inline code with spaces in it
 * ("`kubectl rollout restart ...`") and quoted error messages are dropped before matching.
 * A single quoted word ("`payments-gw`") is kept and marked, because people quote names.
 */
function dropPasted(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/`([^`\n]*\s[^`\n]*)`/g, ' ')
    .replace(/(^|\s)(["'“‘])[^"'“”‘’\n]*\s[^"'“”‘’\n]*["'”’](?=[\s,.;:!?)]|$)/g, '$1 ')
    .replace(/`([^`\s]+)`/g, '\u0060$1\u0060');
}

/**
 * "`deploy payments 1.2 prod`", "pls run `lock cart prod`": a command written as code is the
 * command itself; it goes first, so it reads as one, and a "please" around it is kept after it.
 */
function unwrapCommand(text: string): string {
  return text.replace(COMMAND_SPAN, (_match, address: string, asking: string | undefined, _ticks: string, command: string, thanks: string | undefined) =>
    `${address}${command}${asking || thanks ? ' please' : ''}`,
  );
}

/** A GitLab pipeline or job URL says which project and pipeline: keep that, drop the rest of the URL. */
function pipelineUrl(url: string): string {
  const match = /^https?:\/\/[^/\s]+\/(?:[^/\s]+\/)*?([^/\s]+)\/-\/(pipelines|jobs)\/(\d+)/.exec(url);
  if (!match) return ' ';
  return ` ${match[2] === 'jobs' ? 'job' : 'pipeline'} ${match[3]} of ${match[1]} `;
}

/** Slack markup to plain words: links keep their label, channel refs their name. */
function unSlack(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (pipelineUrl(url).trim() ? pipelineUrl(url) : label))
    .replace(/<(https?:[^>]+)>/g, (_m, url: string) => pipelineUrl(url))
    .replace(/https?:\/\/\S+/g, (url) => pipelineUrl(url))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/(^|\s)[*_~]{1,2}([^*_~\n]+)[*_~]{1,2}(?=\s|$|[,.;:!?])/g, '$1$2')
    .replace(/(\w)\s*=\s*(\S)/g, '$1 $2');
}

function correct(word: string): string {
  if (word.length < 4 || COMMON_WORDS.has(word) || word in ENVIRONMENT_WORDS || /[\d\-_.@/#]/.test(word)) return word;
  let best: { keyword: string; distance: number } | undefined;
  for (const keyword of KEYWORDS) {
    if (Math.abs(keyword.length - word.length) > 2) continue;
    const distance = editDistance(word, keyword);
    const allowed = keyword.length >= 9 ? 2 : 1;
    if (distance <= allowed && (!best || distance < best.distance)) best = { keyword, distance };
  }
  return best?.keyword ?? word;
}

const FOREIGN_COURTESY =
  /(?<![\p{L}\d-])(?:s'il (?:vous|te) pla[iî]t|por favor|per favore|bitte(?: sch[öo]n)?|merci(?: beaucoup)?|danke(?: sch[öo]n)?|gracias|grazie(?: mille)?|obrigad[oa]|pouvez-vous|pourriez-vous|peux-tu|pourrais-tu|kannst du|k[öo]nnen sie|k[öo]nntest du|puedes|podr[íi]as?|potresti|bonjour|salut|hola|hallo|ciao|buongiorno|buenos d[íi]as|bom dia|guten (?:tag|morgen))(?![\p{L}\d-])/gu;

const PHRASES: Array<[RegExp, string]> = [
  // "time to roll out of here" is an idiom; "roll out of cart 2.0 to prod" still has a verb, a version and an environment
  [/\broll[ -]?out\b(?! of\b)/g, 'deploy'],
  [/\bship[ -]?it\b/g, 'deploy'],
  [/\bre-?deploy\b/g, 'deploy'],
  [/\bclean[ -]up\b/g, 'cleanup'],
  [/\bwho am i\b/g, 'whoami'],
  [/\bauto-?recover\b/g, 'recover'],
  [/\btshoot\b/g, 'troubleshoot'],
  [/\bdpl\b/g, 'deploy'],
  [/\brb\b/g, 'rollback'],
  [/\bsts\b/g, 'status'],
  [/\bver\b/g, 'version'],
  // chat shorthand: "how r things", "r u around"
  [/(?<=\b(how|what|where|who|why|when|which|we|they|you|u|things|these|those) )r(?= )|^r(?= (u|you|we|they|the|there|things|all|any)\b)/g, 'are'],
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\bperms\b/g, 'permissions'],
  [/\bpl\b(?=\s*#?\d)/g, 'pipeline'],
  [/\bwho-am-i\b/g, 'whoami'],
  [/\bcan't\b/g, 'cannot'],
  [/\bwon't\b/g, 'will not'],
  [/\b(\w+)n't\b/g, '$1 not'],
  [/[’‘]/g, "'"],
  [/([a-z0-9])@(v?\d)/g, '$1 @ $2'],
  [/[“”]/g, '"'],
  // courtesy and greetings in other languages are noise around the request: "pouvez-vous deploy ...", "por favor rollback ..."
  [FOREIGN_COURTESY, ' '],
];

/** A quoted phrase at the very end: dropped from the words like any quote, but kept as written (a lock's reason). */
const CLOSING_QUOTE = /(?:^|\s)(?:["“]([^"“”\n]{1,300})["”]|['‘]([^'‘’\n]{1,300})['’])\s*[.!]?\s*$/;
/** Only the end of a message can hold it; looking no further keeps a 40 KB message cheap. */
const CLOSING_QUOTE_REACH = 320;

/**
 * A request fits in a few sentences, at the start or the end of a message; beyond this (a
 * pasted stack trace outside a code block, a flood) only the head and the tail are read, so a
 * 40 KB message costs milliseconds of the event loop, not a second.
 */
const READ_HEAD = 1500;
const READ_TAIL = 500;

function withinReach(text: string): string {
  if (text.length <= READ_HEAD + READ_TAIL) return text;
  // cut at spaces, so no half word becomes a service name
  const head = text.slice(0, READ_HEAD);
  const tail = text.slice(-READ_TAIL);
  return `${head.slice(0, Math.max(0, head.lastIndexOf(' ')))} ${tail.slice(tail.indexOf(' ') + 1)}`;
}

export function normalize(input: string): Normalized {
  const unwrapped = unwrapCommand(unSlack(input));
  const quoted = CLOSING_QUOTE.exec(unwrapped.slice(-CLOSING_QUOTE_REACH));
  // a phrase, not one quoted word (people quote names: "`payments-gw`")
  const closingQuote = [quoted?.[1], quoted?.[2]].find((phrase) => phrase !== undefined && /\S\s+\S/.test(phrase))?.trim();
  let text = withinReach(dropPasted(unwrapped)).replace(EMOJI, ' ').replace(EMOJI_CODE, '$1 ');
  const slash = /^\s*\/aiops\b/i.test(text);
  text = text.replace(LEADING_ADDRESS, '').replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of PHRASES) text = text.replace(new RegExp(pattern.source, `${pattern.flags.replace(/[gi]/g, '')}gi`), replacement);
  const lower = text.toLowerCase();

  const tokens: Token[] = [];
  const rawPieces = text.split(/\s+/).filter(Boolean);
  const lowerPieces = lower.split(/\s+/).filter(Boolean);
  lowerPieces.forEach((piece, index) => {
    const rawPiece = rawPieces[index] ?? piece;
    const split = splitPunctuation(piece);
    const rawSplit = splitPunctuation(rawPiece);
    if (!split.core) {
      const previous = tokens[tokens.length - 1];
      if (previous) previous.after += piece;
      return;
    }
    const quoted = /^`[^`]+`$/.test(split.core);
    const core = quoted ? split.core.slice(1, -1) : split.core;
    const rawCore = quoted ? rawSplit.core.slice(1, -1) : rawSplit.core;
    const word = correct(stripPossessive(core));
    tokens.push({ raw: stripPossessive(rawCore), word, after: split.after, ...(quoted ? { quoted } : {}) });
  });
  const joined = tokens.map((token) => textForm(token.word) + clauseMark(token.after)).join(' ');
  return { original: input, text: joined, tokens, slash, ...(closingQuote ? { closingQuote } : {}) };
}

function clauseMark(after: string): string {
  if (/[,;:!?—–]|\.(\s|$)|^-+$|^\.$/.test(after)) return ',';
  return '';
}

function splitPunctuation(piece: string): { core: string; after: string } {
  const match = /^[("'[{]*(.*?)([)"'\]},.;:!?…—–-]*)$/.exec(piece);
  if (!match) return { core: piece, after: '' };
  let core = match[1] ?? '';
  let after = match[2] ?? '';
  // keep version suffixes like "1.0.0-rc" intact and a leading "#" on pipeline ids
  if (core === '' && /^[-—–]+$/.test(piece)) return { core: '', after: piece };
  if (/^v?\d/.test(core) && after.startsWith('-') && after.length > 1) {
    core += after.replace(/[.,;:!?)]+$/, '');
    after = after.slice(core.length);
  }
  return { core, after };
}

const CONTRACTIONS = /^(what|how|who|where|when|why|it|that|there|here|let|he|she|this|which|everything|nothing|something|what)'s$/i;

function stripPossessive(word: string): string {
  if (CONTRACTIONS.test(word)) return word;
  return word.replace(/'s$|s'$/i, (match) => (match.toLowerCase() === "s'" ? 's' : ''));
}

/** Vocabulary written with a dash that the rules match as such; other dashed words are names. */
const DASHED_VOCABULARY = new Set(['pre-prod', 'pre-production', 'read-only', 'view-only', 'senior-dev', 'go-gin', 'python-fastapi', 'nodejs-express', 'power-cycle', 'four-eyes', 'sign-off', 'follow-up']);

/** In the matching text a dashed name is joined with "_", so "billing-api" never matches a rule about "api". */
function textForm(word: string): string {
  if (DASHED_VOCABULARY.has(word)) return word;
  // dashed names and dotted hosts ("api.example.com") are one word for the rules
  return word.replace(/(?<=[a-z0-9])-(?=[a-z0-9])/g, '_').replace(/(?<=[a-z])\.(?=[a-z])/g, '_');
}

/** A sub-range of a message's tokens (a sentence or a comma clause), as its own Normalized. */
export function slice(n: Normalized, from: number, to: number): Normalized {
  const tokens = n.tokens.slice(from, to);
  const text = tokens.map((token) => textForm(token.word) + clauseMark(token.after)).join(' ');
  const closingQuote = to >= n.tokens.length ? n.closingQuote : undefined;
  return { original: n.original, text, tokens, slash: n.slash && from === 0, ...(closingQuote ? { closingQuote } : {}) };
}
