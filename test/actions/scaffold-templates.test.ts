import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderScaffold, renderText, TemplateError, type RenderedFile } from '../../src/actions/scaffold/render.js';
import { DATABASES, TEMPLATES } from '../../src/intents/schema.js';

const scratch = mkdtempSync(join(tmpdir(), 'aiops-scaffold-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeOut(dir: string, files: RenderedFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

const run = (command: string, args: string[], cwd: string): void => {
  execFileSync(command, args, { cwd, stdio: 'pipe', env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } });
};

describe.each(TEMPLATES.flatMap((template) => DATABASES.map((database) => [template, database] as const)))('scaffold %s with %s', (template, database) => {
  const files = renderScaffold({ name: 'billing-api', template, database, namespace: 'acme', gitlabUrl: 'https://gitlab.example.com', environments: ['dev', 'staging', 'prod'] });
  const dir = join(scratch, `${template}-${database}`);
  writeOut(dir, files);
  const byPath = new Map(files.map((file) => [file.path, file.content]));

  it('has the app, a test, the Dockerfile, CI, Kubernetes manifests, catalog entry and README', () => {
    for (const path of ['Dockerfile', '.gitlab-ci.yml', 'k8s/deployment.yaml', 'k8s/service.yaml', 'catalog-info.yaml', 'README.md']) expect(byPath.has(path), path).toBe(true);
    expect(files.some((file) => /test/.test(file.path))).toBe(true);
    expect(new Set(files.map((file) => file.path)).size).toBe(files.length);
  });

  it('leaves no placeholder unresolved', () => {
    for (const file of files) expect(file.content, file.path).not.toMatch(/\{\{|\}\}(?!\))/);
  });

  it('writes YAML and JSON that parse', () => {
    for (const file of files.filter((item) => /\.ya?ml$/.test(item.path))) {
      const documents = parseAllDocuments(file.content);
      const list = Array.isArray(documents) ? documents : [documents];
      expect(list.flatMap((document) => document.errors.map((error) => error.message)), file.path).toEqual([]);
    }
    for (const file of files.filter((item) => item.path.endsWith('.json'))) expect(() => JSON.parse(file.content), file.path).not.toThrow();
  });

  it('has a CI pipeline whose deploy job runs only for aiops and reads the AIOPS_* variables', () => {
    const ci = parseAllDocuments(byPath.get('.gitlab-ci.yml')!);
    const pipeline = (Array.isArray(ci) ? ci[0] : ci)!.toJSON() as Record<string, { stage?: string; rules?: unknown[]; script?: string[] }> & { stages: string[] };
    expect(pipeline.stages).toEqual(['test', 'build', 'deploy']);
    expect(pipeline.deploy?.rules).toEqual([{ if: '$AIOPS_ACTION' }]);
    const script = (pipeline.deploy?.script ?? []).join('\n');
    for (const variable of ['AIOPS_ACTION', 'AIOPS_ENVIRONMENT', 'AIOPS_VERSION', 'AIOPS_CORRELATION_ID', 'AIOPS_REQUESTED_BY', 'AIOPS_APPROVED_BY']) expect(script).toContain(`$${variable}`);
    expect(pipeline.test?.rules).toEqual([{ if: '$AIOPS_ACTION', when: 'never' }, { when: 'on_success' }]);
  });

  it('gives the catalog an entry aiops can read', () => {
    const entry = parseAllDocuments(byPath.get('catalog-info.yaml')!);
    const component = (Array.isArray(entry) ? entry[0] : entry)!.toJSON() as { metadata: { name: string; annotations: Record<string, string> } };
    expect(component.metadata.name).toBe('billing-api');
    expect(component.metadata.annotations['gitlab.com/project-slug']).toBe('acme/billing-api');
    expect(component.metadata.annotations['aiops/environments']).toBe('dev,staging,prod');
  });

  // python3 and node are on every machine that runs these tests; go is not, so Go gets structural checks
  it(template === 'python-fastapi' ? 'compiles its Python' : template === 'nodejs-express' ? 'passes node --check on its JavaScript' : 'writes a Go module with a test', () => {
    if (template === 'python-fastapi') {
      const python = files.filter((file) => file.path.endsWith('.py')).map((file) => file.path);
      expect(python).toContain('tests/test_health.py');
      run('python3', ['-m', 'py_compile', ...python], dir);
    } else if (template === 'nodejs-express') {
      const scripts = files.filter((file) => file.path.endsWith('.js')).map((file) => file.path);
      expect(scripts).toContain('test/health.test.js');
      for (const script of scripts) run(process.execPath, ['--check', script], dir);
    } else {
      expect(byPath.get('go.mod')).toContain('module gitlab.example.com/acme/billing-api');
      expect(byPath.get('main_test.go')).toContain('func TestHealthAnswersOK');
      expect(byPath.has('db.go')).toBe(database !== 'none');
      for (const file of files.filter((item) => item.path.endsWith('.go'))) {
        expect(file.content.split('{').length, file.path).toBe(file.content.split('}').length);
        expect(file.content, file.path).toMatch(/^(\/\/.*\n)*package main\n/);
      }
    }
  });
});

describe('the template renderer', () => {
  const render = (source: string, flags: Record<string, boolean> = {}) => renderText(source, { name: 'x' }, { database: false, ...flags }, new Map(), 'test.tmpl');

  it('drops a block tag standing alone on its line, with the line', () => {
    expect(render('a\n{{#if database}}\nb\n{{/if}}\nc\n')).toBe('a\nc\n');
    expect(render('a\n{{#if database}}\nb\n{{/if}}\nc\n', { database: true })).toBe('a\nb\nc\n');
    expect(render('[{{name}}{{#unless database}}, none{{/unless}}]')).toBe('[x, none]');
  });

  it('refuses what it cannot resolve instead of writing it out', () => {
    expect(() => render('{{missing}}')).toThrow(TemplateError);
    expect(() => render('{{#if nope}}x{{/if}}')).toThrow('unknown flag nope');
    expect(() => render('{{#if database}}{{#if database}}x{{/if}}{{/if}}')).toThrow(TemplateError);
    expect(() => render('{{> nowhere}}')).toThrow('unknown partial nowhere');
  });
});
