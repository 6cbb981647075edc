import { z } from 'zod';
import type { ManifestEdit } from './edit.js';

const SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

const packageJsonSchema = z.looseObject({
  workspaces: z.unknown().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  peerDependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});

// "*" is deliberate: aiops cannot run npm, so whoever updates the lock file on the branch pins the version
const ANY_VERSION = '*';

const indentOf = (content: string): string => /^[ \t]+(?=")/m.exec(content)?.[0] ?? '  ';

const isSorted = (keys: readonly string[]): boolean => keys.every((key, index) => index === 0 || keys[index - 1]! <= key);

/** Adds the package to dependencies (or devDependencies), keeping indentation, key order and the final newline. */
export function addNpmDependency(content: string, pkg: string, dev: boolean): ManifestEdit {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return { ok: false, reason: 'unsupported', detail: 'package.json is not valid JSON' };
  }
  const result = packageJsonSchema.safeParse(raw);
  if (!result.success) return { ok: false, reason: 'unsupported', detail: 'package.json has dependency sections aiops cannot read' };
  const parsed = result.data;
  const listedIn = SECTIONS.find((section) => parsed[section]?.[pkg] !== undefined);
  if (listedIn) return { ok: false, reason: 'listed', detail: `package.json already lists ${pkg} in ${listedIn}` };
  if (parsed.workspaces !== undefined) {
    return { ok: false, reason: 'unsupported', detail: 'package.json is a workspaces root: the package belongs in the workspace that imports it' };
  }
  const section = dev ? 'devDependencies' : 'dependencies';
  const current = parsed[section] ?? {};
  const entries = Object.entries(current);
  const added = [...entries, [pkg, ANY_VERSION] as [string, string]];
  const ordered = isSorted(entries.map(([key]) => key)) ? added.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : added;
  // written from the parsed JSON, not zod's output, so the file's key order stays as it was
  const updated = { ...(raw as Record<string, unknown>), [section]: Object.fromEntries(ordered) };
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const text = JSON.stringify(updated, null, indentOf(content)).replace(/\n/g, eol);
  return { ok: true, content: /\r?\n$/.test(content) ? `${text}${eol}` : text, line: `"${pkg}": "${ANY_VERSION}" in ${section}` };
}
