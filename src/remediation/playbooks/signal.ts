import type { AnalysisContext, Signal, Slots } from './types.js';

/** A signal in one line: `signal('name', /pattern/, 0.8, (m) => ({ package: m[1] }))`. */
export function signal(
  name: string,
  pattern: RegExp,
  weight: number,
  slots?: (match: RegExpExecArray, context: AnalysisContext) => Slots | null,
): Signal {
  if (pattern.global || pattern.sticky) throw new Error(`signal ${name}: pattern must not be global or sticky`);
  return slots ? { name, pattern, weight, slots } : { name, pattern, weight };
}

/** Drops undefined and empty values so slots stay `Record<string, string>`. */
export function slotsOf(values: Record<string, string | undefined>): Slots {
  const slots: Slots = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') slots[key] = value;
  return slots;
}

/** `npm ERR!` (npm <= 9) or `npm error` (npm >= 10). */
export const NPM_ERR = '(?:npm ERR!|npm error)';

/** One pattern from several, so long alternations read one phrase per line: `anyOf([/a/, /b\d/], 'i')`. */
export function anyOf(patterns: readonly RegExp[], flags = ''): RegExp {
  return new RegExp(patterns.map((pattern) => pattern.source).join('|'), flags);
}
