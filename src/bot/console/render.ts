import type { Reply } from '../reply.js';

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  tone(tone: Reply['tone'], text: string): string;
}

export const plainStyle: TextStyle = { bold: (t) => t, dim: (t) => t, tone: (_tone, t) => t };

export const ansiStyle: TextStyle = {
  bold: (t) => `\u001b[1m${t}\u001b[22m`,
  dim: (t) => `\u001b[2m${t}\u001b[22m`,
  tone: (tone, t) => {
    const code = tone === 'error' ? 31 : tone === 'warning' ? 33 : tone === 'success' ? 32 : 0;
    return code ? `\u001b[${code}m${t}\u001b[39m` : t;
  },
};

/** Strips control characters so nothing a user typed can move the cursor or recolour the terminal. */
const safe = (text: string): string =>
  [...text]
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code === 9 || code === 10 || (code >= 32 && (code < 127 || code > 159));
    })
    .join('');

const inline = (text: string, style: TextStyle): string => safe(text).replace(/\*([^*\n]+)\*/g, (_m, bold: string) => style.bold(bold));

/** A reply as terminal text. Buttons are listed by the numbers the console assigned them. */
export function renderText(reply: Reply, style: TextStyle, buttonNumbers: number[] = []): string {
  const lines: string[] = [style.tone(reply.tone, inline(reply.text, style))];
  for (const field of reply.fields ?? []) lines.push(`  ${style.dim(`${safe(field.label)}:`)} ${inline(field.value, style)}`);
  for (const section of reply.sections ?? []) {
    if (section.title) lines.push(style.bold(safe(section.title)));
    for (const line of section.lines) lines.push(`  ${inline(line, style)}`);
  }
  for (const link of reply.links ?? []) lines.push(`  ${safe(link.label)}: ${safe(link.url)}`);
  if (reply.buttons?.length) {
    lines.push(reply.buttons.map((button, index) => `[${buttonNumbers[index] ?? index + 1}] ${safe(button.label)}`).join('   '));
  }
  for (const line of reply.context ?? []) lines.push(style.dim(inline(line, style)));
  return lines.join('\n');
}
