import { isLocalPythonModule, isPythonStdlib, PYTHON_CLI_PACKAGES, pypiPackageOf } from './names.js';
import { isMissingSubmodule, isProjectPackage, isProjectSubmodule } from './python-modules.js';
import { COMMAND_NOT_FOUND, commandOf } from './commands.js';
import { signal, slotsOf } from './signal.js';
import { NOT_IN_ANY_INDEX } from './resolver.js';
import type { AnalysisContext, Detector, Playbook, Slots } from './types.js';

function missingModule(module: string, context: AnalysisContext): Slots | null {
  if (isLocalPythonModule(module, context.localModules) || isProjectSubmodule(module, context.projectPythonDirs)) return null;
  if (isProjectPackage(module, context.projectPackages)) return null;
  // The package imported but lacks this part: a version difference (pb-dep-003), not a missing requirement.
  if (isMissingSubmodule(module) && !isPythonStdlib(module)) return null;
  if (isPythonStdlib(module)) return slotsOf({ module, ecosystem: 'pypi', fixable: 'no', detail: 'part of the Python standard library: the image lacks it' });
  return slotsOf({ module, package: pypiPackageOf(module), ecosystem: 'pypi' });
}

const unavailable = (pkg: string | undefined): Slots | null =>
  pkg ? slotsOf({ package: pkg.replace(/\[.*$/, ''), ecosystem: 'pypi', fixable: 'no', detail: 'not available from the package index (name, version pin or index URL)' }) : null;

const notInCondaChannels = (pkg: string | undefined): Slots =>
  slotsOf({ package: pkg, ecosystem: 'conda', fixable: 'no', detail: 'not available from the conda channels (name, version pin or channel list)' });

const resolverNotFound = (m: RegExpExecArray): Slots | null => {
  const conda = m[3] ?? m[4];
  return conda === undefined ? unavailable(m[1] ?? m[2]) : notInCondaChannels(conda);
};

// conda lists what no channel has under its error: `  - pyproj-datum=3.6`.
const CONDA_PACKAGES_NOT_FOUND = /PackagesNotFoundError: The following packages are not available from/;
const LISTED_PACKAGE = /^\s{1,8}- ([A-Za-z0-9][\w.-]{0,99})/;

const condaPackagesNotFound: Detector = {
  name: 'conda-packages-not-found',
  detect(lines) {
    const header = lines.findIndex((line) => CONDA_PACKAGES_NOT_FOUND.test(line));
    if (header === -1) return [];
    const listed = lines.slice(header + 1, header + 6).map((line) => LISTED_PACKAGE.exec(line)?.[1]).find((pkg) => pkg !== undefined);
    return [{ signal: this.name, weight: 0.88, lineIndex: header, slots: notInCondaChannels(listed) }];
  },
};

const missingCommand = (tool: string | undefined): Slots | null => {
  const pkg = tool === undefined ? undefined : PYTHON_CLI_PACKAGES[tool];
  return pkg ? slotsOf({ tool, package: pkg, module: pkg, ecosystem: 'pypi' }) : null;
};

export const missingPythonPackage: Playbook = {
  id: 'pb-dep-001',
  title: 'Missing Python package',
  risk: 'low',
  autoFix: 'add-dependency',
  explains: ['pb-test-000', 'pb-build-000', 'pb-env-001'],
  signals: [
    signal('python-module-not-found', /\bModuleNotFoundError: No module named '([\w.]{1,200})'/, 0.93, (m, ctx) => missingModule(m[1] ?? '', ctx)),
    signal('python-import-error', /\bImportError: No module named '?([\w.]{1,200})'?/, 0.9, (m, ctx) => missingModule(m[1] ?? '', ctx)),
    signal('python-no-module', /\bNo module named '?([A-Za-z_][\w.]{0,200})'?/, 0.85, (m, ctx) => missingModule(m[1] ?? '', ctx)),
    signal('python-distribution-not-found', /DistributionNotFound: The '([\w.-]{1,100})[^']{0,60}' distribution was not found/, 0.85, (m) =>
      slotsOf({ package: m[1], module: m[1], ecosystem: 'pypi' }),
    ),
    // A namespace package (`google.cloud`) with nothing installed under it.
    signal('python-namespace-empty', /ImportError: cannot import name '(\w{1,100})' from '([\w.]{1,200})' \(unknown location\)/, 0.88, (m, ctx) =>
      missingModule(`${m[2] ?? ''}.${m[1] ?? ''}`, ctx),
    ),
    // The index has no such package, or no version matching the pin: missing, and adding it again would not help.
    signal('pip-no-satisfying-version', /Could not find a version that satisfies the requirement ([\w.[\]-]{1,100})/, 0.72, (m) => unavailable(m[1])),
    signal('pip-no-matching-distribution', /No matching distribution found for ([\w.[\]-]{1,100})/, 0.72, (m) => unavailable(m[1])),
    signal('python-command-not-found', COMMAND_NOT_FOUND, 0.78, (m) => missingCommand(commandOf(m))),
    // uv, conda and mamba resolvers giving up because a requirement is in no index at all.
    signal('resolver-package-not-found', NOT_IN_ANY_INDEX, 0.88, resolverNotFound),
  ],
  detectors: [condaPackagesNotFound],
  summary: (slots) =>
    slots.detail && slots.package
      ? `Python package \`${slots.package}\` is ${slots.detail}.`
      : slots.package
      ? `Python module \`${slots.module ?? slots.package}\` is not installed: \`${slots.package}\` is missing from the project's dependencies.`
      : 'A Python module the job imports is not installed.',
  remediation: (slots) =>
    slots.detail && slots.module
      ? [`\`${slots.module}\` is ${slots.detail}; use an image whose Python was built with it (e.g. the official python image).`]
      : slots.detail && slots.ecosystem === 'conda'
        ? [`Check the name and version pin of \`${slots.package ?? '<package>'}\` in environment.yml, and that a channel which has it is listed (\`channels:\`); some packages are only on PyPI (list them under \`pip:\`).`]
      : slots.detail
        ? [`Check the name and version pin of \`${slots.package}\`, and for a private package that pip is given the index URL and credentials (PIP_INDEX_URL / PIP_EXTRA_INDEX_URL).`]
        : [
          `Add \`${slots.package ?? '<package>'}\` to requirements.txt (or \`poetry add ${slots.package ?? '<package>'}\` for pyproject.toml), pinned like the others.`,
          'Check the job installs the project dependencies (`pip install -r requirements.txt` / `poetry install`) before it runs.',
          'If it is a test-only tool, put it in the dev/test requirements instead.',
        ],
};
