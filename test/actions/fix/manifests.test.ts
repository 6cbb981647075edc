import { describe, expect, it } from 'vitest';
import { manifestChange } from '../../../src/actions/fix/manifests/index.js';
import { addNpmDependency } from '../../../src/actions/fix/manifests/package-json.js';
import { addPyprojectDependency } from '../../../src/actions/fix/manifests/pyproject.js';
import { addRequirement, requirementsListed } from '../../../src/actions/fix/manifests/requirements.js';
import type { AutoFix } from '../../../src/remediation/index.js';

const content = (edit: ReturnType<typeof addRequirement>): string => {
  if (!edit.ok) throw new Error(`not edited: ${edit.detail}`);
  return edit.content;
};

describe('requirements.txt', () => {
  it('appends the package and keeps the final newline and CRLF endings', () => {
    expect(content(addRequirement('flask==3.0.0\nrequests>=2\n', 'PyYAML'))).toBe('flask==3.0.0\nrequests>=2\nPyYAML\n');
    expect(content(addRequirement('flask==3.0.0', 'PyYAML'))).toBe('flask==3.0.0\nPyYAML\n');
    expect(content(addRequirement('flask\r\n', 'httpx'))).toBe('flask\r\nhttpx\r\n');
    expect(content(addRequirement('', 'httpx'))).toBe('httpx\n');
  });

  it('knows a package it lists, however it is written', () => {
    const file = [
      '# pinned',
      'Flask[async]==3.0.0 ; python_version >= "3.9"',
      'python_dateutil>=2  # dates',
      '-r base.txt',
      '--index-url https://pypi.example.com/simple',
      '-e git+https://git.example.com/acme/shared.git#egg=acme-shared',
      'requests @ https://files.example.com/requests-2.31.0.tar.gz',
    ].join('\n');
    expect(requirementsListed(file)).toEqual(['flask', 'python-dateutil', 'acme-shared', 'requests']);
    for (const pkg of ['flask', 'python-dateutil', 'Python.DateUtil', 'acme_shared', 'requests']) {
      expect(addRequirement(file, pkg)).toMatchObject({ ok: false, reason: 'listed' });
    }
  });
});

describe('pyproject.toml', () => {
  const pep621 = ['[project]', 'name = "payments"', 'dependencies = [', '    "fastapi>=0.110",', '    "uvicorn[standard]"  # server', ']', '', '[tool.ruff]', 'line-length = 100', ''].join('\n');

  it('adds to a multi-line PEP 621 list, keeping indentation and comments', () => {
    expect(content(addPyprojectDependency(pep621, 'httpx'))).toBe(
      ['[project]', 'name = "payments"', 'dependencies = [', '    "fastapi>=0.110",', '    "uvicorn[standard]",  # server', '    "httpx",', ']', '', '[tool.ruff]', 'line-length = 100', ''].join('\n'),
    );
  });

  it('adds to a one-line list, an empty one, and a list closed on its last line', () => {
    expect(content(addPyprojectDependency('[project]\ndependencies = ["a", "b"]\n', 'httpx'))).toBe('[project]\ndependencies = ["a", "b", "httpx"]\n');
    expect(content(addPyprojectDependency('[project]\ndependencies = []\n', 'httpx'))).toBe('[project]\ndependencies = ["httpx"]\n');
    expect(content(addPyprojectDependency('[project]\ndependencies = [\n    "a",\n    "b"]\n', 'httpx'))).toBe('[project]\ndependencies = [\n    "a",\n    "b",\n    "httpx"]\n');
  });

  it('adds to Poetry dependencies when there is no PEP 621 list', () => {
    const poetry = '[tool.poetry]\nname = "payments"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "^0.110"\n\n[build-system]\nrequires = ["poetry-core"]\n';
    expect(content(addPyprojectDependency(poetry, 'httpx'))).toBe(
      '[tool.poetry]\nname = "payments"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "^0.110"\nhttpx = "*"\n\n[build-system]\nrequires = ["poetry-core"]\n',
    );
  });

  it('sees a package listed anywhere: optional, groups, Poetry dev groups', () => {
    expect(addPyprojectDependency(pep621, 'FastAPI')).toMatchObject({ ok: false, reason: 'listed' });
    expect(addPyprojectDependency(`${pep621}[project.optional-dependencies]\ntest = ["pytest>=8"]\n`, 'pytest')).toMatchObject({ ok: false, reason: 'listed' });
    expect(addPyprojectDependency(`${pep621}[dependency-groups]\ndev = [\n  "ruff",\n]\n`, 'ruff')).toMatchObject({ ok: false, reason: 'listed' });
    expect(addPyprojectDependency('[tool.poetry.dependencies]\npython = "^3.12"\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\n', 'pytest')).toMatchObject({ ok: false, reason: 'listed' });
  });

  it('leaves dynamic dependencies and unknown shapes to a person', () => {
    expect(addPyprojectDependency('[project]\nname = "x"\ndynamic = ["dependencies"]\n', 'httpx')).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(addPyprojectDependency('[tool.black]\nline-length = 100\n', 'httpx')).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(content(addPyprojectDependency('[project]\nname = "x"\n\n[tool.black]\n', 'httpx'))).toBe('[project]\nname = "x"\ndependencies = ["httpx"]\n\n[tool.black]\n');
  });
});

describe('package.json', () => {
  const pkg = '{\n    "name": "checkout",\n    "version": "1.0.0",\n    "dependencies": {\n        "express": "^4.19.2",\n        "zod": "^3.23.0"\n    }\n}\n';

  it('adds in alphabetical place, with the file\'s indentation and key order', () => {
    const edit = addNpmDependency(pkg, 'lodash', false);
    expect(edit).toMatchObject({ ok: true, line: '"lodash": "*" in dependencies' });
    expect(edit.ok && edit.content).toBe('{\n    "name": "checkout",\n    "version": "1.0.0",\n    "dependencies": {\n        "express": "^4.19.2",\n        "lodash": "*",\n        "zod": "^3.23.0"\n    }\n}\n');
  });

  it('creates devDependencies for tooling, at the end', () => {
    const edit = addNpmDependency(pkg, '@types/node', true);
    expect(edit.ok && JSON.parse(edit.content)).toEqual({ name: 'checkout', version: '1.0.0', dependencies: { express: '^4.19.2', zod: '^3.23.0' }, devDependencies: { '@types/node': '*' } });
  });

  it('refuses a listed package, a workspaces root and broken JSON', () => {
    expect(addNpmDependency(pkg, 'zod', true)).toMatchObject({ ok: false, reason: 'listed', detail: 'package.json already lists zod in dependencies' });
    expect(addNpmDependency('{"private":true,"workspaces":["packages/*"]}', 'lodash', false)).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(addNpmDependency('{"name": ', 'lodash', false)).toMatchObject({ ok: false, reason: 'unsupported', detail: 'package.json is not valid JSON' });
  });
});

describe('choosing the manifest', () => {
  const pypi: Extract<AutoFix, { kind: 'add-dependency' }> = { kind: 'add-dependency', ecosystem: 'pypi', package: 'requests', manifests: ['requirements.txt', 'pyproject.toml'] };
  const file = (path: string, text: string) => ({ path, content: text, lastCommitId: 'c0ffee' });

  it('edits the first manifest the project has', () => {
    expect(manifestChange(pypi, [undefined, file('pyproject.toml', '[project]\ndependencies = []\n')])).toMatchObject({ ok: true, file: { path: 'pyproject.toml' } });
    expect(manifestChange(pypi, [file('requirements.txt', 'flask\n'), file('pyproject.toml', '[project]\ndependencies = []\n')])).toMatchObject({ ok: true, file: { path: 'requirements.txt' }, content: 'flask\nrequests\n' });
  });

  it('adds nothing when any manifest lists it already, or when there is none', () => {
    expect(manifestChange(pypi, [file('requirements.txt', 'flask\n'), file('pyproject.toml', '[project]\ndependencies = ["requests"]\n')])).toMatchObject({ ok: false, reason: 'listed' });
    expect(manifestChange(pypi, [undefined, undefined])).toMatchObject({ ok: false, reason: 'no-manifest' });
  });
});
