import { MASK } from './mask-token.js';

const BEGIN = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/;
const END = /-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/;
// Key material and PEM headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`); a log line is never this.
const KEY_MATERIAL = /^[ \t]*(?:[A-Za-z0-9+/=]{1,200}|[A-Za-z-]{1,40}: [^\n]{0,200})?[ \t]*$/;

// Walking up from an END line: the line just above may be a short last chunk, the others are full-width.
const isKeyBodyAbove = (line: string, popped: number): boolean =>
  line.trim() !== '' && KEY_MATERIAL.test(line) && (popped === 0 || line.trim().length >= 16);

/**
 * Masks PEM private keys: the armour lines stay (they say what was there), the body goes.
 * Handles a key split over lines, a key on one line with `\n` escapes (service-account JSON),
 * a key whose BEGIN was cut off by truncation, and one whose END never arrives.
 */
export function maskPrivateKeys(text: string): { text: string; count: number } {
  if (!text.includes('PRIVATE KEY')) return { text, count: 0 };
  const out: string[] = [];
  let count = 0;
  let inKey = false;
  for (const line of text.split('\n')) {
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    if (begin && end && end.index > begin.index) {
      out.push(line.slice(0, begin.index + begin[0].length) + MASK + line.slice(end.index));
      count += 1;
    } else if (begin) {
      out.push(line.slice(0, begin.index + begin[0].length) + MASK);
      count += 1;
      inKey = true;
    } else if (end) {
      if (!inKey) {
        // The BEGIN line was truncated away: the lines above are key material too.
        let popped = 0;
        while (out.length > 0 && isKeyBodyAbove(out[out.length - 1] ?? '', popped)) {
          out.pop();
          popped += 1;
        }
        count += 1;
      }
      out.push((inKey ? '' : MASK) + line.slice(end.index));
      inKey = false;
    } else if (inKey && KEY_MATERIAL.test(line) && line.trim() !== '') {
      continue;
    } else {
      inKey = false;
      out.push(line);
    }
  }
  return { text: out.join('\n'), count };
}
