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
}

const LEADING_ADDRESS =
  /^(?:\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*<\/at>|@?aiops\b|\/aiops\b|hey|hi|hello|yo|ok|okay|so)\s*[,:;!-]?\s*)+/i;
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

const PHRASES: Array<[RegExp, string]> = [
  [/\broll[ -]?out\b/g, 'deploy'],
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
];

export function normalize(input: string): Normalized {
  let text = dropPasted(unSlack(input)).replace(EMOJI, ' ').replace(EMOJI_CODE, '$1 ');
  const slash = /^\s*\/aiops\b/i.test(text);
  text = text.replace(LEADING_ADDRESS, '').replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of PHRASES) text = text.replace(new RegExp(pattern.source, 'gi'), replacement);
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
  return { original: input, text: tokens.map((token) => textForm(token.word) + clauseMark(token.after)).join(' '), tokens, slash };
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
  return { original: n.original, text: tokens.map((token) => textForm(token.word) + clauseMark(token.after)).join(' '), tokens, slash: n.slash && from === 0 };
}
