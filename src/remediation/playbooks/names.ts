import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { anyOf } from './signal.js';

const NODE_BUILTINS = new Set(builtinModules);
const PATH_LIKE = /^(?:\.{1,2}(?:\/|\\|$)|\/|\\|~|#|[A-Za-z]:[\\/]|@\/|file:|data:|https?:)/;
const IN_NODE_MODULES = /\/node_modules\/((?:@[\w.-]{1,100}\/)?\w[\w.-]{0,213})/;
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
// First segments of bare specifiers that are the project's own folders (tsconfig baseUrl/paths), not packages.
const LOCAL_FOLDERS = new Set([
  'components', 'utils', 'lib', 'src', 'app', 'pages', 'hooks', 'services', 'config', 'helpers', 'types', 'models', 'store',
  'api', 'features', 'shared', 'common', 'assets', 'styles', 'constants', 'modules', 'layouts', 'views', 'routes', 'server', 'client',
]);

export type Specifier = { kind: 'package'; name: string } | { kind: 'builtin' } | { kind: 'local' };

/** What an import specifier that failed to resolve points at: an npm package, a Node builtin, or the project's own files. */
export function classifySpecifier(specifier: string): Specifier {
  const inNodeModules = IN_NODE_MODULES.exec(posix.normalize(specifier.replace(/\\/g, '/')));
  if (inNodeModules?.[1]) return { kind: 'package', name: inNodeModules[1] };
  if (specifier.startsWith('node:')) return { kind: 'builtin' };
  if (PATH_LIKE.test(specifier)) return { kind: 'local' };
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  if (!PACKAGE_NAME.test(name)) return { kind: 'local' };
  if (NODE_BUILTINS.has(name)) return { kind: 'builtin' };
  if (!specifier.startsWith('@') && parts.length > 1 && LOCAL_FOLDERS.has(name)) return { kind: 'local' };
  return { kind: 'package', name };
}

/** The npm package a specifier comes from, or null for a path, alias, project folder or Node builtin. */
export function npmPackageOf(specifier: string): string | null {
  const kind = classifySpecifier(specifier);
  return kind.kind === 'package' ? kind.name : null;
}

/** Node, jest, tsc (TS2307), webpack, vite/rollup and esbuild saying an import did not resolve. */
export const MODULE_NOT_FOUND = anyOf([
  /Cannot find module ['"]([^'"\s]{1,300})['"](?: from ['"]([^'"]{1,500})['"])?/,
  /Cannot find package ['"]([^'"\s]{1,300})['"](?: (?:imported )?from ['"]?([^'"\s]{1,500}))?/, // node ESM, bun
  /Module not found: (?:Error: )?Can't resolve '([^'\s]{1,300})'(?: in '([^']{1,500})')?/,
  /(?:Rollup failed to resolve import|Failed to resolve import) "([^"\s]{1,300})" from "([^"]{1,500})"/,
  /Could not resolve:? "([^"\s]{1,300})"/, // esbuild, bun build
  /Failed to resolve '([^'\s]{1,300})' from '([^']{1,500})'/, // parcel
  /Unable to resolve module ([^\s]{1,300}) from ([^\s:]{1,500})/, // metro (React Native)
]);

export function unresolvedImport(match: RegExpExecArray): { specifier: string; importer?: string } {
  const specifier = match[1] ?? match[3] ?? match[5] ?? match[7] ?? match[9] ?? match[10] ?? match[12] ?? '';
  const importer = match[2] ?? match[4] ?? match[6] ?? match[8] ?? match[11] ?? match[13];
  return importer === undefined ? { specifier } : { specifier, importer };
}

// Tooling that belongs in devDependencies; a runtime import from src/ does not.
const DEV_PACKAGE = anyOf([
  /^(?:@types|@babel|@testing-library|@vitest|@jest|@playwright|@typescript-eslint)\//,
  /^(?:eslint|prettier|jest|vitest|mocha|chai|sinon|ts-node|ts-jest|tsx|typescript|nodemon|rimraf|cross-env|concurrently)/,
  /^(?:supertest|nock|cypress|husky|lint-staged|webpack|vite|rollup|esbuild|babel-)/,
]);
const TEST_OR_CONFIG_FILE = /(?:[./\\](?:test|spec|e2e|cy|stories)\.[cm]?[jt]sx?\b|__tests__|[\\/](?:tests?|e2e|cypress|scripts|tools)[\\/]|\.config\.[cm]?[jt]s\b|\.eslintrc|babel\.config|jest\.setup)/i;

export function isDevDependency(pkg: string, importer?: string): boolean {
  return DEV_PACKAGE.test(pkg) || (importer !== undefined && TEST_OR_CONFIG_FILE.test(importer));
}

/** Command-line tools that say which package is missing when the shell cannot find them. */
export const NODE_CLI_PACKAGES: Readonly<Record<string, string>> = {
  jest: 'jest', mocha: 'mocha', vitest: 'vitest', tsc: 'typescript', eslint: 'eslint', prettier: 'prettier',
  webpack: 'webpack', 'webpack-cli': 'webpack-cli', vite: 'vite', next: 'next', nx: 'nx', ng: '@angular/cli',
  'react-scripts': 'react-scripts', nodemon: 'nodemon', 'ts-node': 'ts-node', tsx: 'tsx', rimraf: 'rimraf',
  'cross-env': 'cross-env', concurrently: 'concurrently', playwright: '@playwright/test', cypress: 'cypress',
  lerna: 'lerna', turbo: 'turbo', nest: '@nestjs/cli', rollup: 'rollup', esbuild: 'esbuild', nyc: 'nyc',
  'semantic-release': 'semantic-release', 'lint-staged': 'lint-staged', husky: 'husky', storybook: 'storybook',
  'vue-cli-service': '@vue/cli-service', 'vue-tsc': 'vue-tsc', nuxt: 'nuxt', nuxi: 'nuxi', astro: 'astro', gatsby: 'gatsby',
  remix: '@remix-run/dev', 'svelte-kit': '@sveltejs/kit', 'svelte-check': 'svelte-check', tsup: 'tsup', unbuild: 'unbuild',
  parcel: 'parcel', babel: '@babel/cli', 'tsc-alias': 'tsc-alias', 'ts-node-dev': 'ts-node-dev', 'vite-node': 'vite-node',
  stylelint: 'stylelint', biome: '@biomejs/biome', oxlint: 'oxlint', knip: 'knip', prisma: 'prisma', 'sequelize': 'sequelize-cli',
  typeorm: 'typeorm', knex: 'knex', wrangler: 'wrangler', serverless: 'serverless', sls: 'serverless', cdk: 'aws-cdk',
  expo: 'expo', 'electron-builder': 'electron-builder', changeset: '@changesets/cli', commitlint: '@commitlint/cli', ava: 'ava',
  karma: 'karma', jasmine: 'jasmine', c8: 'c8', tap: 'tap', gulp: 'gulp', grunt: 'grunt-cli', 'http-server': 'http-server',
  'start-server-and-test': 'start-server-and-test', 'wait-on': 'wait-on', 'npm-run-all': 'npm-run-all', 'run-s': 'npm-run-all',
  'run-p': 'npm-run-all', 'graphql-codegen': '@graphql-codegen/cli', 'openapi-typescript': 'openapi-typescript', 'env-cmd': 'env-cmd',
  'dotenv': 'dotenv-cli', 'copyfiles': 'copyfiles', 'shx': 'shx', 'del-cli': 'del-cli', 'ncc': '@vercel/ncc', 'tsdx': 'tsdx',
};
export const PYTHON_CLI_PACKAGES: Readonly<Record<string, string>> = {
  pytest: 'pytest', 'py.test': 'pytest', flake8: 'flake8', black: 'black', ruff: 'ruff', mypy: 'mypy', tox: 'tox',
  nox: 'nox', isort: 'isort', pylint: 'pylint', coverage: 'coverage', gunicorn: 'gunicorn', uvicorn: 'uvicorn',
  celery: 'celery', alembic: 'alembic', 'django-admin': 'django', twine: 'twine', 'sphinx-build': 'sphinx',
  'pre-commit': 'pre-commit', bandit: 'bandit', pyright: 'pyright', mkdocs: 'mkdocs', locust: 'locust',
  'pip-compile': 'pip-tools', 'pip-sync': 'pip-tools', behave: 'behave', robot: 'robotframework', 'ansible-lint': 'ansible-lint',
  yamllint: 'yamllint', sqlfluff: 'sqlfluff', codespell: 'codespell', pydocstyle: 'pydocstyle', pycodestyle: 'pycodestyle',
  autopep8: 'autopep8', yapf: 'yapf', vulture: 'vulture', pyinstaller: 'pyinstaller', maturin: 'maturin', jupyter: 'jupyter',
  nbqa: 'nbqa', cz: 'commitizen', 'bump2version': 'bump2version', 'bump-my-version': 'bump-my-version', dvc: 'dvc',
  streamlit: 'streamlit', hypercorn: 'hypercorn', daphne: 'daphne', scrapy: 'Scrapy', 'pip-audit': 'pip-audit', poe: 'poethepoet',
  'sphinx-autobuild': 'sphinx-autobuild', 'datamodel-codegen': 'datamodel-code-generator', 'pytest-watch': 'pytest-watch',
};

// Import names that differ from their PyPI distribution.
const PYPI_BY_IMPORT: Readonly<Record<string, string>> = {
  yaml: 'PyYAML', cv2: 'opencv-python', sklearn: 'scikit-learn', skimage: 'scikit-image', PIL: 'Pillow',
  bs4: 'beautifulsoup4', dateutil: 'python-dateutil', dotenv: 'python-dotenv', jwt: 'PyJWT', jose: 'python-jose',
  magic: 'python-magic', serial: 'pyserial', usb: 'pyusb', OpenSSL: 'pyOpenSSL', Crypto: 'pycryptodome',
  Cryptodome: 'pycryptodomex', MySQLdb: 'mysqlclient', psycopg2: 'psycopg2-binary', docx: 'python-docx',
  pptx: 'python-pptx', multipart: 'python-multipart', telegram: 'python-telegram-bot', gi: 'PyGObject',
  attr: 'attrs', zmq: 'pyzmq', win32api: 'pywin32', win32com: 'pywin32', Levenshtein: 'python-Levenshtein',
  slugify: 'python-slugify', socks: 'PySocks', fitz: 'PyMuPDF', kafka: 'kafka-python', ldap: 'python-ldap',
  git: 'GitPython', github: 'PyGithub', gitlab: 'python-gitlab', jenkins: 'python-jenkins', memcache: 'python-memcached',
  pkg_resources: 'setuptools', distutils: 'setuptools', _cffi_backend: 'cffi', mpl_toolkits: 'matplotlib',
  rest_framework: 'djangorestframework', corsheaders: 'django-cors-headers', environ: 'django-environ',
  debug_toolbar: 'django-debug-toolbar', crispy_forms: 'django-crispy-forms', storages: 'django-storages',
  grpc: 'grpcio', websocket: 'websocket-client', dns: 'dnspython', nacl: 'PyNaCl',
  markdown: 'Markdown', jinja2: 'Jinja2', sentry_sdk: 'sentry-sdk', lxml: 'lxml', Bio: 'biopython',
};
// Modules that ship with CPython (or its build): missing means a broken image, not a missing dependency.
const PYTHON_STDLIB = new Set(['_ctypes', '_sqlite3', 'sqlite3', '_lzma', 'lzma', '_bz2', 'bz2', '_ssl', 'ssl', 'tkinter', '_tkinter', 'readline', '_curses', 'curses', 'ctypes', 'zlib', '_hashlib']);

export function isPythonStdlib(module: string): boolean {
  return PYTHON_STDLIB.has(module.split('.')[0] ?? module);
}

function googlePackageOf(second?: string, third?: string): string {
  if (second === undefined || second === 'protobuf') return 'protobuf';
  if (second === 'cloud' && third) return `google-cloud-${third.replace(/_/g, '-')}`;
  if (second === 'oauth2') return 'google-auth';
  return `google-${second.replace(/_/g, '-')}`;
}

/** An import name whose distribution is known by a different name (`yaml`, `sklearn`...). */
export const isKnownPypiImport = (root: string): boolean => root in PYPI_BY_IMPORT;

/** The PyPI distribution that provides an import, as a requirements.txt line would name it. */
export function pypiPackageOf(module: string): string {
  const parts = module.split('.');
  const top = parts[0] ?? module;
  if (top === 'google') return googlePackageOf(parts[1], parts[2]);
  if (top === 'azure' && parts[1]) return `azure-${parts.slice(1, 3).join('-').replace(/_/g, '-')}`;
  if (/^flask_/.test(top)) return `Flask-${top.slice('flask_'.length).replace(/_/g, '-')}`;
  return PYPI_BY_IMPORT[top] ?? top.replace(/_/g, '-');
}

// Project-local module names a missing-module error usually means (a PYTHONPATH or layout problem).
const USUALLY_LOCAL = new Set(['src', 'app', 'tests', 'test', 'conftest', 'settings', 'manage']);

export function isLocalPythonModule(module: string, localModules: readonly string[] = []): boolean {
  const top = module.split('.')[0] ?? module;
  return USUALLY_LOCAL.has(top) || localModules.includes(top);
}
