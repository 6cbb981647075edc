import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DATABASES, TEMPLATES, type Database, type Template } from '../../intents/schema.js';

const ROOT = fileURLToPath(new URL('./templates/', import.meta.url));
type Flag = 'postgresql' | 'dynamodb' | 'database';

const sourcePath = z.string().regex(/^[a-z0-9-]+(\/[\w.-]+)+\.tmpl$/, { error: 'a .tmpl file under templates/' });
const fileSchema = z.object({
  path: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, { error: 'a relative path' }),
  source: sourcePath,
  when: z.enum(DATABASES).optional(),
});
const manifestSchema = z.object({
  common: z.array(fileSchema),
  templates: z.record(
    z.enum(TEMPLATES),
    z.object({ language: z.string(), port: z.number().int().min(1).max(65535), run: z.string(), test: z.string(), files: z.array(fileSchema).min(1) }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** Placeholders: {{var}}, {{#if flag}} / {{#unless flag}} ... {{/if}} / {{/unless}}, {{> partial}}. */
const TAG = /\{\{\s*([#/>]?)\s*([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?\s*\}\}/g;
const ANY_TAG = /\{\{[^{}]*\}\}/;

export class TemplateError extends Error {}

let cached: { manifest: Manifest; sources: Map<string, string> } | undefined;

/** The manifest and every source it names, read once and validated; a broken template fails loudly. */
export function loadTemplates(): { manifest: Manifest; sources: Map<string, string> } {
  if (cached) return cached;
  const parsed = manifestSchema.safeParse(parseYaml(readFileSync(`${ROOT}manifest.yaml`, 'utf8')));
  if (!parsed.success) throw new TemplateError(`scaffold manifest is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const manifest = parsed.data;
  const sources = new Map<string, string>();
  const files = [...manifest.common, ...Object.values(manifest.templates).flatMap((template) => template.files)];
  for (const file of files) sources.set(file.source, readFileSync(`${ROOT}${file.source}`, 'utf8'));
  for (const partial of ['ci-build', 'ci-deploy']) sources.set(`partials/${partial}`, readFileSync(`${ROOT}partials/${partial}.tmpl`, 'utf8'));
  cached = { manifest, sources };
  return cached;
}

export interface ScaffoldInput {
  name: string;
  template: Template;
  database: Database;
  namespace: string;
  gitlabUrl: string;
  environments: readonly string[];
}

export interface RenderedFile {
  path: string;
  content: string;
}

const titleOf = (name: string): string => name.split('-').map((word) => (word === 'api' ? 'API' : word[0]!.toUpperCase() + word.slice(1))).join(' ');

/** Renders one source: partials, then blocks (tags alone on a line take the line with them), then variables. */
export function renderText(source: string, values: Record<string, string>, flags: Record<string, boolean>, partials: ReadonlyMap<string, string>, where: string): string {
  let text = source.replace(/\{\{>\s*([\w-]+)\s*\}\}/g, (_match, name: string) => {
    const partial = partials.get(`partials/${name}`);
    if (partial === undefined) throw new TemplateError(`${where}: unknown partial ${name}`);
    return partial.replace(/\n$/, '');
  });
  text = text.replace(/^[ \t]*(\{\{[#/](?:if|unless)[^}]*\}\})[ \t]*\n/gm, '$1');
  text = text.replace(/\{\{#(if|unless)\s+([\w-]+)\s*\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_match, kind: string, flag: string, body: string) => {
    if (!(flag in flags)) throw new TemplateError(`${where}: unknown flag ${flag}`);
    if (/\{\{#/.test(body)) throw new TemplateError(`${where}: nested blocks are not supported`);
    return flags[flag] === (kind === 'if') ? body : '';
  });
  text = text.replace(TAG, (match, sigil: string, name: string) => {
    if (sigil) throw new TemplateError(`${where}: unbalanced ${match}`);
    const value = values[name];
    if (value === undefined) throw new TemplateError(`${where}: unknown placeholder ${match}`);
    return value;
  });
  if (ANY_TAG.test(text)) throw new TemplateError(`${where}: unresolved placeholder ${ANY_TAG.exec(text)![0]}`);
  return text;
}

/** Every file of a new service, rendered and in commit order. */
export function renderScaffold(input: ScaffoldInput): RenderedFile[] {
  const { manifest, sources } = loadTemplates();
  const template = manifest.templates[input.template];
  if (!template) throw new TemplateError(`no template ${input.template}`);
  const flags: Record<Flag, boolean> = {
    postgresql: input.database === 'postgresql',
    dynamodb: input.database === 'dynamodb',
    database: input.database !== 'none',
  };
  const host = new URL(input.gitlabUrl).host;
  const values: Record<string, string> = {
    name: input.name,
    title: titleOf(input.name),
    template: input.template,
    database: input.database,
    namespace: input.namespace,
    project: `${input.namespace}/${input.name}`,
    owner: input.namespace.split('/').pop()!,
    environments: input.environments.join(','),
    language: template.language,
    port: String(template.port),
    run: template.run,
    test: template.test,
    goModule: `${host}/${input.namespace}/${input.name}`,
  };
  const files = [...template.files, ...manifest.common].filter((file) => !file.when || file.when === input.database);
  return files.map((file) => ({ path: file.path, content: renderText(sources.get(file.source)!, values, flags, sources, file.source) }));
}
