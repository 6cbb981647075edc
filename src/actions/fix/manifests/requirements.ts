import { lineEnding, normalizePython, requirementName, type ManifestEdit } from './edit.js';

/** The requirements a requirements.txt lists by name (options, includes and comments skipped; editable installs by #egg=). */
export function requirementsListed(content: string): string[] {
  const names: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const egg = /#egg=([A-Za-z0-9._-]+)/.exec(raw)?.[1];
    if (line.startsWith('-')) {
      if (egg) names.push(normalizePython(egg));
      continue;
    }
    const name = requirementName(line);
    if (name) names.push(normalizePython(name));
  }
  return names;
}

/** Appends the package on a line of its own, keeping the file's line endings. */
export function addRequirement(content: string, pkg: string): ManifestEdit {
  if (requirementsListed(content).includes(normalizePython(pkg))) {
    return { ok: false, reason: 'listed', detail: `requirements.txt already lists ${pkg}` };
  }
  const eol = lineEnding(content);
  const body = content === '' || content.endsWith('\n') ? content : `${content}${eol}`;
  return { ok: true, content: `${body}${pkg}${eol}`, line: pkg };
}
