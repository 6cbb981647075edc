import { isPythonStdlib } from './names.js';
import { isThirdPartySubmodule } from './python-modules.js';
import { resolverConflict } from './resolver.js';
import { NPM_ERR, signal, slotsOf } from './signal.js';
import type { Playbook } from './types.js';

const pkg = (index: number) => (m: RegExpExecArray) => slotsOf({ package: m[index] });

export const dependencyConflict: Playbook = {
  id: 'pb-dep-003',
  title: 'Dependency version conflict',
  risk: 'medium',
  explains: ['pb-test-000', 'pb-build-000', 'pb-dep-001', 'pb-dep-002'],
  signals: [
    // npm / yarn / pnpm
    signal('npm-eresolve', /\bERESOLVE\b/, 0.88),
    signal('npm-could-not-resolve-dependency', /Could not resolve dependency:/, 0.85),
    signal('npm-conflicting-peer', /Conflicting peer dependency: (@?[\w./-]{1,200})@/, 0.85, pkg(1)),
    signal('npm-ci-out-of-sync', /`npm ci` can only install packages when your package\.json and package-lock\.json/, 0.88),
    signal('npm-lock-missing', /Missing: (@?[\w./-]{1,200})@\S{1,100} from lock file/, 0.8, pkg(1)),
    signal('npm-lock-invalid', /Invalid: lock file's (@?[\w./-]{1,200})@\S{1,100} does not satisfy/, 0.8, pkg(1)),
    signal('npm-unsupported-engine', new RegExp(`${NPM_ERR} (?:code EBADENGINE|notsup Unsupported engine)`), 0.8),
    signal('yarn-engine-incompatible', /The engine "(\w{1,20})" is incompatible with this module\. Expected version "([^"]{1,60})"\. Got "([^"]{1,60})"/, 0.8, (m) =>
      slotsOf({ tool: m[1], detail: `needs ${m[2] ?? '?'}, got ${m[3] ?? '?'}` }),
    ),
    signal('yarn-lockfile-outdated', /Your lockfile needs to be updated|\bYN0028\b/, 0.88),
    signal('pnpm-lockfile', /ERR_PNPM_(?:OUTDATED_LOCKFILE|LOCKFILE_CONFIG_MISMATCH|LOCKFILE_MISSING_DEPENDENCY)/, 0.88),
    signal('pnpm-peer-or-version', /ERR_PNPM_(?:PEER_DEP_ISSUES|UNSUPPORTED_ENGINE)/, 0.82),
    // pip / poetry / pipenv / uv / conda
    signal('pip-resolution-impossible', /\bResolutionImpossible\b|because these package versions have conflicting dependencies/, 0.9),
    signal('pip-conflict-cause', /^\s*The conflict is caused by:?\s*$/, 0.85),
    signal('pip-requires-python', /requires a different Python: ([\d.]{1,20}) not in '([^']{1,60})'/, 0.8, (m) => slotsOf({ tool: 'python', detail: `needs ${m[2] ?? '?'}, got ${m[1] ?? '?'}` })),
    signal('pip-incompatible-installed', /^([\w.-]{1,100}) \S{1,40} (?:has requirement|requires) ([^,\n]{1,200}), but you have ([^\n]{1,200})/, 0.5, pkg(1)),
    signal('setuptools-version-conflict', /\b(?:Contextual)?VersionConflict\b/, 0.85),
    signal('poetry-lock-stale', /pyproject\.toml changed significantly since poetry\.lock was last generated|poetry\.lock is not (?:consistent|compatible) with pyproject\.toml/, 0.85),
    signal('pipenv-lock-stale', /Your Pipfile\.lock \([^)]{0,100}\) is out of date|\bResolutionFailure\b/, 0.8),
    // uv/poetry/conda resolver headlines are read with their reasons: see resolverConflict.
    signal('conda-conflicts', /Found conflicts! Looking for incompatible packages/, 0.85),
    signal('python-cannot-import-from-installed', /ImportError: cannot import name '(\w{1,100})' from '([\w.]{1,200})' \([^)]{0,400}(?:site|dist)-packages/, 0.75, (m) =>
      slotsOf({ module: m[2], detail: `\`${m[1] ?? ''}\` is gone from the installed version` }),
    ),
    signal('python-submodule-missing', /\bNo module named '?([A-Za-z_]\w{0,100}\.[\w.]{1,200})'?/, 0.72, (m, context) => {
      const module = m[1] ?? '';
      if (!isThirdPartySubmodule(module, context.projectPythonDirs) || isPythonStdlib(module)) return null;
      return slotsOf({ module, detail: `the installed \`${module.split('.')[0] ?? ''}\` has no \`${module}\`` });
    }),
    // cargo / go
    signal('cargo-select-version', /failed to select a version for/, 0.88),
    signal('cargo-locked', /needs to be updated but --locked was passed/, 0.85),
    signal('cargo-rustc-too-old', /package `([\w-]{1,100}) v\S{1,40}` cannot be built because it requires rustc/, 0.8, pkg(1)),
    signal('go-mod-tidy', /go: updates to go\.mod needed|go: inconsistent vendoring/, 0.85),
    signal('go-sum-missing', /missing go\.sum entry for module providing package (\S{1,300})/, 0.8, pkg(1)),
    signal('go-version-too-old', /go\.mod requires go >= ?[\d.]{1,20}|requires go >= ?[\d.]{1,20} \(running go/, 0.75),
    signal('go-ambiguous-import', /ambiguous import: found package (\S{1,300}) in multiple modules/, 0.75, pkg(1)),
    signal('go-no-module-provides', /no required module provides package (\S{1,300})/, 0.65, (m) => slotsOf({ package: m[1]?.replace(/;$/, '') })),
    // maven / gradle / composer / bundler / nuget
    signal('maven-convergence', /Dependency convergence error for (\S{1,300})|DependencyConvergence failed|RequireUpperBoundDeps/, 0.88, (m) => slotsOf({ package: m[1] })),
    signal('maven-unresolved', /Could not resolve dependencies for project (\S{1,300})|The following artifacts could not be resolved: (\S{1,300})/, 0.66, (m) => slotsOf({ package: m[2] })),
    signal('maven-artifact-missing', /Could not find artifact (\S{1,300})/, 0.72, pkg(1)),
    signal('gradle-unresolved', /Could not resolve all (?:files|dependencies|artifacts|task dependencies) for configuration '([^']{1,200})'/, 0.62),
    signal('gradle-not-found', /Could not find ([\w.-]{1,200}:[\w.-]{1,200}(?::[\w.-]{1,100})?)\.\s*$/, 0.72, pkg(1)),
    signal('gradle-conflict', /Conflict(?:s|\(s\))? found for the following module/, 0.88),
    signal('composer-unresolvable', /Your requirements could not be resolved to an installable set of packages|Your lock file does not contain a compatible set of packages/, 0.9),
    signal('bundler-incompatible', /Bundler could not find compatible versions for gem "([^"]{1,100})"/, 0.9, pkg(1)),
    signal('nuget-conflict', /\bNU1(?:107|605|608)\b/, 0.88),
    // Swift PM, CocoaPods, Bundler 2.5+, Julia Pkg.
    signal('other-resolvers', /Dependencies could not be resolved because|CocoaPods could not find compatible versions for pod|^Could not find compatible versions$|Unsatisfiable requirements detected for package/, 0.86),
    signal('nuget-not-found', /\bNU110[12]\b/, 0.7),
  ],
  detectors: [resolverConflict],
  summary: (slots) =>
    slots.package
      ? `Dependencies cannot be resolved together (around \`${slots.package}\`)${slots.detail ? `: ${slots.detail}` : ''}.`
      : `The dependency set cannot be resolved: versions conflict or the lock file is out of date${slots.detail ? ` (${slots.detail})` : ''}.`,
  remediation: () => [
    'Read the resolver output above the error: it names the two requirements that cannot both hold.',
    'Loosen or align the pinned versions (or upgrade the package that pins the old one), then regenerate the lock file (`npm install`, `poetry lock`, `cargo update -p`, `go mod tidy`) and commit it.',
    'If the lock file is stale, regenerate it locally with the same tool version the CI image uses.',
    'Avoid --force / --legacy-peer-deps unless you have checked the combination actually works.',
  ],
};
