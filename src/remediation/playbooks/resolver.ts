import { anyOf } from './signal.js';
import type { Detector, Hit } from './types.js';

/**
 * A dependency resolver (uv, poetry, conda/mamba) that gave up prints a headline, then its reasons.
 * The headline alone does not say why: a requirement the index does not have at all is a missing
 * package (pb-dep-001), not two requirements that cannot hold together (pb-dep-003).
 */
// Strongest first.
const RESOLVER_LINES: ReadonlyArray<{ name: string; pattern: RegExp; weight: number }> = [
  { name: 'poetry-solver', pattern: /\bSolverProblemError\b|version solving failed|No solution found when resolving dependencies|requirements are unsatisfiable/, weight: 0.9 },
  { name: 'solver-because', pattern: /^\s*(?:╰─▶ )?(?:So, )?[Bb]ecause (?:no versions of |every version of )?[\w.[\]-]{1,100}[^\n]{0,300}? depends on /, weight: 0.65 },
  { name: 'conda-unsatisfiable', pattern: /\b(?:LibMamba)?UnsatisfiableError\b|Could not solve for environment specs/, weight: 0.85 },
];

/** The resolver's own words for a requirement no index or channel has. */
export const NOT_IN_ANY_INDEX = anyOf([
  /\b([A-Za-z0-9][\w.-]{0,99}) was not found in the (?:package registry|provided package locations)/, // uv
  /\bthere (?:is|are) no versions? of ([A-Za-z0-9][\w.-]{0,99})[^\n]{0,100}? and (?:you require|your project (?:depends on|requires))\b/, // uv, a pin no release matches
  /\bnothing provides requested ([A-Za-z0-9][\w.-]{0,99})|^\W{0,12}([A-Za-z0-9][\w.-]{0,99})[^\n]{0,60}? {1,4}does not exist \(perhaps a typo or a missing channel\)/, // conda, mamba
]);
// Words only a real conflict uses; when they appear the missing package is not the whole story.
const CONFLICT_WORDS = /\bincompatible\b|\bconflict/i;
const MAX_MESSAGE_LINES = 25;

interface ResolverMessage {
  start: number;
  end: number;
  /** The reason given is a requirement no index has, and nothing conflicts. */
  missingPackage: boolean;
}

const isResolverLine = (line: string): boolean => RESOLVER_LINES.some(({ pattern }) => pattern.test(line));

/** Each resolver failure: its headline and the lines of reasons after it, up to a blank line. */
function resolverMessages(lines: readonly string[]): ResolverMessage[] {
  const messages: ResolverMessage[] = [];
  for (let start = 0; start < lines.length; start += 1) {
    if (!isResolverLine(lines[start] ?? '')) continue;
    let end = start;
    while (end + 1 < lines.length && end + 1 - start < MAX_MESSAGE_LINES && (lines[end + 1] ?? '').trim() !== '') end += 1;
    const text = lines.slice(start, end + 1);
    messages.push({ start, end, missingPackage: text.some((line) => NOT_IN_ANY_INDEX.test(line)) && !text.some((line) => CONFLICT_WORDS.test(line)) });
    start = end;
  }
  return messages;
}

/** Resolver failures whose reason is not a package missing from every index: a version conflict. */
export const resolverConflict: Detector = {
  name: 'resolver-conflict',
  detect(lines) {
    const hits: Hit[] = [];
    for (const message of resolverMessages(lines)) {
      if (message.missingPackage) continue;
      for (let lineIndex = message.start; lineIndex <= message.end; lineIndex += 1) {
        // Like signals, a line counts once: for its strongest kind.
        const strongest = RESOLVER_LINES.find(({ pattern }) => pattern.test(lines[lineIndex] ?? ''));
        if (strongest) hits.push({ signal: strongest.name, weight: strongest.weight, lineIndex, slots: {} });
      }
    }
    return hits;
  },
};
