import { isKnownPypiImport } from './names.js';
import { repositoryNames } from './project-names.js';

/**
 * Where a missing Python module belongs. `No module named 'a.b'` means `a` itself imported (Python
 * names the first part it cannot find), so unless `a` is a namespace shared by many distributions,
 * the package is there and lacks `b`: the project's own file is missing, or the installed version
 * differs. Adding `a` to the requirements would fix neither.
 */

// Import roots that many distributions install into: `google.cloud.storage` is its own package.
const NAMESPACE_ROOTS = new Set(['google', 'azure', 'zope', 'jaraco', 'backports', 'sphinxcontrib', 'opentelemetry', 'ruamel', 'mpl_toolkits', 'airflow', 'oslo', 'aws_cdk']);

// Distributions common enough that `x.y` missing from them is a version difference, not the project's code.
const WELL_KNOWN_ROOTS = new Set([
  'django', 'flask', 'fastapi', 'starlette', 'werkzeug', 'numpy', 'pandas', 'scipy', 'tensorflow', 'torch', 'keras', 'transformers',
  'pydantic', 'sqlalchemy', 'celery', 'requests', 'urllib3', 'setuptools', 'pip', 'matplotlib', 'marshmallow', 'boto3', 'botocore',
  'pytest', '_pytest', 'six', 'attr', 'typing_extensions', 'importlib_metadata', 'langchain', 'openai', 'httpx', 'aiohttp', 'redis',
  // The standard library: a part missing from it is a Python version difference.
  'distutils', 'importlib', 'collections', 'typing', 'asyncio', 'unittest', 'email', 'xml', 'http', 'urllib', 'concurrent', 'json', 'logging', 'os',
]);

// A path inside an installed environment, or a package pip is building from source, not the project.
const INSTALLED_PATH = /(?:site|dist)-packages|[\\/]lib(?:64)?[\\/]python\d|[\\/]\.?venv[\\/]|[\\/]\.tox[\\/]|[\\/]\.nox[\\/]|<frozen|[\\/]pip-(?:install|req-build|build-env)-/;
// `File "/builds/shop/checkout/src/checkout/engine.py"`, pytest's `src/checkout/engine.py:6: in <module>`.
const PYTHON_FILE = /(?:^|[\s"'(])([\w.\\/:-]{1,400})\.py\b/g;
const IDENTIFIER = /^[A-Za-z_]\w{0,99}$/;
// `src/billing/invoices.py`: the src layout names the project's package.
const SRC_LAYOUT_PACKAGE = /(?:^|[\s"'(/\\])src[\\/]([A-Za-z_]\w{0,99})[\\/]/;
const MAX_LINES_SCANNED = 4000;

/** `a.b` missing where `a` is a well-known installed distribution: it changed between versions. */
export function isThirdPartySubmodule(module: string, projectDirs: readonly string[] = []): boolean {
  const root = module.split('.')[0] ?? module;
  return isMissingSubmodule(module) && !projectDirs.includes(root) && (WELL_KNOWN_ROOTS.has(root) || isKnownPypiImport(root));
}

/** True for `a.b` whose root `a` is an ordinary package: what is missing is a part of it. */
export function isMissingSubmodule(module: string): boolean {
  const [root, ...rest] = module.split('.');
  return rest.length > 0 && root !== undefined && !NAMESPACE_ROOTS.has(root);
}

/** Folder names of the project's Python files seen in the log (tracebacks, pytest), not installed packages. */
export function projectPythonDirs(lines: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const line of lines.slice(-MAX_LINES_SCANNED)) {
    if (!line.includes('.py') || INSTALLED_PATH.test(line)) continue;
    for (const match of line.matchAll(PYTHON_FILE)) {
      const folders = (match[1] ?? '').split(/[\\/]/).slice(0, -1);
      for (const folder of folders) if (IDENTIFIER.test(folder)) dirs.add(folder);
    }
  }
  return [...dirs];
}

/** `a.b` missing where `a` is the project's (its files live under `a/`, or `a` is no well-known distribution). */
export function isProjectSubmodule(module: string, projectDirs: readonly string[] = []): boolean {
  return isMissingSubmodule(module) && !isThirdPartySubmodule(module, projectDirs);
}

const isWellKnownDistribution = (module: string): boolean => WELL_KNOWN_ROOTS.has(module) || isKnownPypiImport(module);

/** `billing-core` -> `billing_core`, `billing`, `core`: the import names a repository's own package usually has. */
function packageNamesOf(repository: string): string[] {
  const parts = repository.toLowerCase().split(/[-_.]/).filter((part) => part.length >= 3);
  return [repository.toLowerCase().replace(/[-.]/g, '_'), parts[0] ?? '', parts.at(-1) ?? ''].filter((name) => IDENTIFIER.test(name));
}

/**
 * Top-level packages the log shows are the project's own: named after the repository, or under `src/`.
 * Names of well-known distributions are left out: a repository called `django-shop` still needs Django.
 */
export function projectPackages(lines: readonly string[]): string[] {
  const names = new Set(repositoryNames(lines).flatMap(packageNamesOf));
  for (const line of lines.slice(-MAX_LINES_SCANNED)) {
    const match = line.includes('src') ? SRC_LAYOUT_PACKAGE.exec(line) : null;
    if (match?.[1] && !INSTALLED_PATH.test(line)) names.add(match[1].toLowerCase());
  }
  return [...names].filter((name) => !isWellKnownDistribution(name));
}

/** `No module named 'billing'` where `billing` is the project's own package: it is not importable, not missing from PyPI. */
export function isProjectPackage(module: string, packages: readonly string[] = []): boolean {
  return !module.includes('.') && packages.includes(module.toLowerCase());
}
