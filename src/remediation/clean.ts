import { maskSecrets } from './trace/mask.js';
import { stripTrace } from './trace/strip.js';
import { keepTail } from './trace/truncate.js';

/** How much of a job trace is analysed, stored or shown: the end, where jobs fail. */
export const TRACE_TAIL_BYTES = 64 * 1024;
// Progress bars and colour codes can be most of a raw trace; strip a generous slice, then cut.
const RAW_SLICE_FACTOR = 4;

export interface CleanTrace {
  /** Plain, masked text: safe to store, send to an LLM or show. */
  text: string;
  /** True when the front of the trace was dropped to keep the last `maxBytes`. */
  truncated: boolean;
  /** Secrets masked, by kind. */
  masked: Record<string, number>;
}

export interface CleanOptions {
  maxBytes?: number;
}

/**
 * The one door from a raw CI job trace to text anything else may see: keeps the last ~64 KB,
 * strips ANSI colours, GitLab section markers and carriage-return redraws, masks secrets.
 * Idempotent, so cleaning cleaned text changes nothing.
 */
export function cleanTrace(raw: string, options: CleanOptions = {}): CleanTrace {
  const maxBytes = options.maxBytes ?? TRACE_TAIL_BYTES;
  const slice = keepTail(raw, maxBytes * RAW_SLICE_FACTOR);
  const tail = keepTail(stripTrace(slice.text), maxBytes);
  const { text, counts } = maskSecrets(tail.text);
  return { text, truncated: slice.droppedBytes > 0 || tail.droppedBytes > 0, masked: counts };
}
