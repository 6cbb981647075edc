export interface Tail {
  text: string;
  /** Bytes (UTF-8) dropped from the front. */
  droppedBytes: number;
}

/**
 * The last `maxBytes` of `text` (UTF-8), starting on a whole character and, when something was
 * dropped, on a whole line: half a line could hold half a secret that no masking rule recognises.
 */
export function keepTail(text: string, maxBytes: number): Tail {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, droppedBytes: 0 };
  let start = bytes.length - maxBytes;
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  const newline = bytes.indexOf(0x0a, start);
  if (newline !== -1 && newline < bytes.length - 1) start = newline + 1;
  return { text: bytes.subarray(start).toString('utf8'), droppedBytes: start };
}
