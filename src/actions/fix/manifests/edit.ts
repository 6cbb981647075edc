/** What adding a dependency to a manifest came to: the new text, or why not. */
export type ManifestEdit =
  | { ok: true; content: string; line: string }
  | { ok: false; reason: 'listed' | 'unsupported'; detail: string };

/** PEP 503: names compare case-insensitively, with runs of `-`, `_` and `.` equal. */
export const normalizePython = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The name a requirement string starts with (`requests[socks]>=2; python_version>"3"` -> requests). */
export function requirementName(requirement: string): string | undefined {
  return /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement)?.[1];
}

export const lineEnding = (content: string): string => (content.includes('\r\n') ? '\r\n' : '\n');
