import { lineEnding, normalizePython, requirementName, type ManifestEdit } from './edit.js';

/**
 * pyproject.toml edited as text, so comments and layout survive: PEP 621 `[project]
 * dependencies = [...]` first, else Poetry's `[tool.poetry.dependencies]` table. Only the
 * shapes people write by hand are handled; anything else is left to a person.
 */

interface Section {
  name: string;
  /** index of the header line */
  start: number;
  /** index after the last line of the section */
  end: number;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;

function sections(lines: readonly string[]): Section[] {
  const found: Section[] = [];
  lines.forEach((line, index) => {
    const match = HEADER.exec(line);
    if (!match?.[1]) return;
    const previous = found.at(-1);
    if (previous) previous.end = index;
    found.push({ name: match[1].replace(/\s+/g, ''), start: index, end: lines.length });
  });
  return found;
}

interface ArrayItem {
  value: string;
  /** offset just after the closing quote */
  end: number;
}

/** A TOML array of strings starting at `open` (the `[`): its items and the offset of its `]`. */
function readArray(text: string, open: number): { items: ArrayItem[]; close: number; trailingComma: boolean } | undefined {
  const items: ArrayItem[] = [];
  let lastToken: 'open' | 'item' | 'comma' = 'open';
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '#') {
      const newline = text.indexOf('\n', index);
      if (newline === -1) return undefined;
      index = newline;
    } else if (char === '"' || char === "'") {
      const closing = text.indexOf(char, index + 1);
      if (closing === -1) return undefined;
      items.push({ value: text.slice(index + 1, closing), end: closing + 1 });
      lastToken = 'item';
      index = closing;
    } else if (char === ',') {
      lastToken = 'comma';
    } else if (char === ']') {
      return { items, close: index, trailingComma: lastToken === 'comma' };
    } else if (!/\s/.test(char)) {
      // inline tables or nested arrays: not a list of requirement strings
      return undefined;
    }
  }
  return undefined;
}

const offsetOfLine = (lines: readonly string[], line: number, eol: string): number => lines.slice(0, line).reduce((sum, text) => sum + text.length + eol.length, 0);

/** `key = [` inside a section: the offset of its `[`. */
function arrayIn(lines: readonly string[], section: Section, key: RegExp, eol: string): number | undefined {
  for (let index = section.start + 1; index < section.end; index += 1) {
    const match = key.exec(lines[index]!);
    if (match) return offsetOfLine(lines, index, eol) + match[0].length - 1;
  }
  return undefined;
}

const keyNames = (lines: readonly string[], section: Section): string[] =>
  lines.slice(section.start + 1, section.end).flatMap((line) => {
    const name = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line)?.[1];
    return name ? [normalizePython(name)] : [];
  });

/** Every dependency the file names: PEP 621 (also optional and dependency groups) and Poetry tables. */
function listed(text: string, lines: readonly string[], all: readonly Section[], eol: string): Set<string> {
  const names = new Set<string>();
  const addArray = (open: number | undefined): void => {
    const array = open === undefined ? undefined : readArray(text, open);
    for (const item of array?.items ?? []) {
      const name = requirementName(item.value);
      if (name) names.add(normalizePython(name));
    }
  };
  for (const section of all) {
    if (section.name === 'project') addArray(arrayIn(lines, section, /^\s*dependencies\s*=\s*\[/, eol));
    if (section.name === 'project.optional-dependencies' || section.name === 'dependency-groups') {
      for (let index = section.start + 1; index < section.end; index += 1) {
        const match = /^\s*[A-Za-z0-9._"'-]+\s*=\s*\[/.exec(lines[index]!);
        if (match) addArray(offsetOfLine(lines, index, eol) + match[0].length - 1);
      }
    }
    if (/^tool\.poetry\.(dev-dependencies|dependencies|group\.[^.]+\.dependencies)$/.test(section.name)) {
      for (const name of keyNames(lines, section)) names.add(name);
    }
  }
  return names;
}

function insertIntoArray(text: string, open: number, pkg: string, eol: string): string | undefined {
  const array = readArray(text, open);
  if (!array) return undefined;
  const last = array.items.at(-1);
  const multiline = text.slice(open, array.close).includes('\n');
  if (!multiline) {
    const separator = !last ? '' : array.trailingComma ? ' ' : ', ';
    return `${text.slice(0, array.close)}${separator}"${pkg}"${text.slice(array.close)}`;
  }
  const closeLineStart = text.lastIndexOf('\n', array.close) + 1;
  const lastLineStart = last ? text.lastIndexOf('\n', last.end) + 1 : closeLineStart;
  const indent = last ? /^[ \t]*/.exec(text.slice(lastLineStart))![0] : '    ';
  const comma = last && !array.trailingComma ? ',' : '';
  if (last && lastLineStart === closeLineStart) {
    // `    "b"]`: the last item shares the line with the bracket
    return `${text.slice(0, last.end)},${eol}${indent}"${pkg}"${text.slice(last.end)}`;
  }
  const before = last ? `${text.slice(0, last.end)}${comma}${text.slice(last.end, closeLineStart)}` : text.slice(0, closeLineStart);
  return `${before}${indent}"${pkg}",${eol}${text.slice(closeLineStart)}`;
}

export function addPyprojectDependency(content: string, pkg: string): ManifestEdit {
  const eol = lineEnding(content);
  const lines = content.split(eol);
  const all = sections(lines);
  if (listed(content, lines, all, eol).has(normalizePython(pkg))) {
    return { ok: false, reason: 'listed', detail: `pyproject.toml already lists ${pkg}` };
  }
  const project = all.find((section) => section.name === 'project');
  const open = project ? arrayIn(lines, project, /^\s*dependencies\s*=\s*\[/, eol) : undefined;
  if (project && open !== undefined) {
    const edited = insertIntoArray(content, open, pkg, eol);
    return edited ? { ok: true, content: edited, line: `"${pkg}"` } : { ok: false, reason: 'unsupported', detail: 'pyproject.toml [project] dependencies is not a plain list of strings' };
  }
  const poetry = all.find((section) => section.name === 'tool.poetry.dependencies');
  if (poetry) {
    let last = poetry.start;
    for (let index = poetry.start + 1; index < poetry.end; index += 1) if (lines[index]!.trim()) last = index;
    const line = `${pkg} = "*"`;
    return { ok: true, content: [...lines.slice(0, last + 1), line, ...lines.slice(last + 1)].join(eol), line };
  }
  if (project && !/^\s*dynamic\s*=.*["']dependencies["']/m.test(lines.slice(project.start, project.end).join('\n'))) {
    let last = project.start;
    for (let index = project.start + 1; index < project.end; index += 1) if (lines[index]!.trim()) last = index;
    const line = `dependencies = ["${pkg}"]`;
    return { ok: true, content: [...lines.slice(0, last + 1), line, ...lines.slice(last + 1)].join(eol), line };
  }
  return { ok: false, reason: 'unsupported', detail: 'pyproject.toml declares no dependency list aiops can edit ([project] dependencies or [tool.poetry.dependencies])' };
}
