/* eslint-disable no-control-regex -- matching terminal control bytes is this file's whole job */
/**
 * Turns terminal output into plain lines: GitLab section markers, ANSI/VT control sequences,
 * carriage-return progress redraws and runner timestamp prefixes go; the text stays.
 */

// GitLab wraps each stage in `section_start:<unix>:<name>[options]\r\e[0K` ... `section_end:<unix>:<name>\r\e[0K`.
const SECTION_MARKER = /section_(?:start|end):\d{1,20}:[A-Za-z0-9_.-]{1,200}(?:\[[^\]\r\n]{0,200}\])?\r?(?:\u001b\[0K)?/g;
// CSI (7-bit ESC [ and 8-bit 0x9b), OSC (terminated by BEL or ESC \), and two-byte escapes.
const CSI = /(?:\u001b\[|\u009b)[0-?]{0,64}[ -/]{0,8}[@-~]/g;
const OSC = /\u001b\][^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)/g;
// APC strings: Buildkite stamps every line with `ESC _bk;t=<ms> BEL`; copied logs keep only `_bk;t=<ms>`.
const APC = /\u001b_[^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)|(?<![\w;])_bk;t=\d{1,16}/g;
const SHORT_ESCAPE = /\u001b(?:[()][0-9A-Za-z]|[@-Z\\-_]|[78=>])/g;
// Logs copied from a browser lose the ESC byte but keep the rest: `[0K`, `[0;m`, `[32;1m`.
const ORPHAN_SGR = /\[0K|\[0?;?m|\[\d{1,3}(?:;\d{1,3}){1,4}m|\[\dm/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
// GitHub Actions (`2024-05-14T09:10:00.1234567Z `), GitLab 17 (`2024-05-14T09:10:00.123456Z 00O+ `),
// Jenkins timestamper (`[2024-02-17T13:59:35.975Z] `, `13:59:35  `), TeamCity (`[13:59:35]i: `, `[13:59:35]E:\t\t `).
const TIMESTAMP_PREFIX =
  /^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z (?:[0-9a-f]{2}[OE]\+? )?|\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z\] |\[\d\d:\d\d:\d\d(?:\.\d{1,6})?\](?:[ iWEF]?:[\t ]{1,20}| )|\d\d:\d\d:\d\d(?:\.\d{1,6})? {1,2})/;
const GROUP_END = /^##\[endgroup\]$/;

export function stripControlSequences(text: string): string {
  return text
    .replace(SECTION_MARKER, '')
    .replace(OSC, '')
    .replace(APC, '')
    .replace(CSI, '')
    .replace(SHORT_ESCAPE, '')
    .replace(ORPHAN_SGR, '');
}

/** A line redrawn with `\r` shows only its last non-blank state, as the terminal did. */
export function collapseCarriageReturns(line: string): string {
  if (!line.includes('\r')) return line;
  const states = line.split('\r');
  for (let index = states.length - 1; index >= 0; index -= 1) {
    const state = states[index] ?? '';
    if (state.trim() !== '') return state;
  }
  return '';
}

export function stripTrace(text: string): string {
  const lines = stripControlSequences(text.replace(/\r\n/g, '\n')).split('\n');
  const kept: string[] = [];
  for (const raw of lines) {
    const line = collapseCarriageReturns(raw).replace(CONTROL, '').replace(TIMESTAMP_PREFIX, '').replace(/[ \t]+$/, '');
    if (GROUP_END.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}
