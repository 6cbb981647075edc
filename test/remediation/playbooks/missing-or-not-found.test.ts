import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

const collectError = (module: string) => `
============================= test session starts ==============================
rootdir: /builds/fin/billing-core
collected 0 items / 1 error
__________________ ERROR collecting tests/test_invoices.py ___________________
tests/test_invoices.py:3: in <module>
    from ${module}.invoices import build_invoice
E   ModuleNotFoundError: No module named '${module}'
=========================== short test summary info ============================
ERROR tests/test_invoices.py
!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!`;

// The project's own package, named by its repository or its src/ folder, is never a PyPI package to add.
describe("pb-env-002: the project's own package is not importable", () => {
  const cases: Array<[string, string, string]> = [
    ['GitLab: named like the repository (billing-core -> billing)', `Initialized empty Git repository in /builds/fin/billing-core/.git/\n${gitlabJob('python:3.12', `$ pytest${collectError('billing')}`)}`, 'billing'],
    [
      'GitHub: python -m from the checkout',
      githubStep('python -m ledger', "/opt/hostedtoolcache/Python/3.12.3/x64/bin/python: Error while finding module specification for 'ledger.__main__' (ModuleNotFoundError: No module named 'ledger')\n[command]/usr/bin/git config --global --add safe.directory /home/runner/work/ledger/ledger"),
      'ledger',
    ],
    ['a src/ layout the job listed', gitlabJob('python:3.12', `$ find src -name '*.py'\nsrc/payroll/__init__.py\nsrc/payroll/slips.py\n$ pytest${collectError('payroll')}`), 'payroll'],
  ];
  it.each(cases)('%s', (_name, log, module) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({ playbookId: 'pb-env-002', slots: { module } });
    expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
    expect(diagnosis.remediation.join(' ')).toContain('pip install -e .');
  });

  it('a dependency is still a dependency, whatever the repository is called', () => {
    const django = `Initialized empty Git repository in /builds/shop/django-shop/.git/\n${gitlabJob('python:3.12', "$ python manage.py check\nModuleNotFoundError: No module named 'django'")}`;
    const stripe = `Initialized empty Git repository in /builds/fin/billing-core/.git/\n${gitlabJob('python:3.12', `$ pytest${collectError('stripe')}`)}`;
    expect(analyzeFailure(django)).toMatchObject({ playbookId: 'pb-dep-001', autoFix: { package: 'django' } });
    expect(analyzeFailure(stripe)).toMatchObject({ playbookId: 'pb-dep-001', autoFix: { package: 'stripe' } });
  });
});

// A resolver that gave up because the index has no such package: missing (no fix: adding it again would not help).
describe('pb-dep-001: resolvers and channels that do not have the package', () => {
  const cases: Array<[string, string, string, string]> = [
    [
      'uv: not found in the package registry',
      githubStep('uv pip install -r requirements.txt', `Using Python 3.12.3 interpreter at: /usr/bin/python3
  × No solution found when resolving dependencies:
  ╰─▶ Because orjsonx was not found in the package registry and you require
      orjsonx>=3.9, we can conclude that your requirements are unsatisfiable.`),
      'orjsonx',
      'pypi',
    ],
    [
      'uv: no release matches the pin',
      gitlabJob('ghcr.io/astral-sh/uv:python3.12-bookworm-slim', `$ uv sync
  × No solution found when resolving dependencies:
  ╰─▶ Because there is no version of httpx==9.1.0 and your project depends on httpx==9.1.0, we can conclude that your project's requirements are unsatisfiable.`),
      'httpx',
      'pypi',
    ],
    [
      'conda: PackagesNotFoundError lists the package',
      gitlabJob('continuumio/miniconda3:24.3.0-0', `$ conda env create -f environment.yml -n geo-ci
Solving environment: ...working... failed

PackagesNotFoundError: The following packages are not available from current channels:

  - pyproj-datum=3.6

Current channels:

  - https://conda.anaconda.org/conda-forge`),
      'pyproj-datum',
      'conda',
    ],
    [
      'mamba: does not exist',
      githubStep('micromamba create -f environment.yml', `error    libmamba Could not solve for environment specs
    The following package could not be installed
    └─ pyproj-datum 3.6**  does not exist (perhaps a typo or a missing channel).
critical libmamba Could not solve for environment specs`),
      'pyproj-datum',
      'conda',
    ],
  ];
  it.each(cases)('%s', (_name, log, pkg, ecosystem) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: pkg, ecosystem, fixable: 'no' } });
    expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
  });

  it('a resolver that names incompatible versions is still a conflict', () => {
    const uv = githubStep('uv lock', `  × No solution found when resolving dependencies:
  ╰─▶ Because flask==3.0.0 depends on werkzeug>=3.0.0 and your project depends on werkzeug==2.2.3, we can conclude that your project's requirements and flask==3.0.0 are incompatible.`);
    const mamba = gitlabJob('mambaorg/micromamba:1.5', `$ micromamba create -f environment.yml
error    libmamba Could not solve for environment specs
    The following packages are incompatible
    ├─ gdal 3.8** is installable and it requires
    │  └─ libgdal 3.8.* , which can be installed;
    └─ libgdal 3.6** is not installable because it conflicts with any installable versions previously reported.`);
    for (const log of [uv, mamba]) expect(analyzeFailure(log).playbookId).toBe('pb-dep-003');
  });
});

describe('pb-dep-002: the registry has no such package (yarn)', () => {
  const cases: Array<[string, string, string]> = [
    ['yarn 1', jenkinsStage('+ yarn install --frozen-lockfile\n[1/4] Resolving packages...\nerror An unexpected error occurred: "https://registry.yarnpkg.com/eslint-plugin-tailwind-order: Not found".\ninfo Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.'), 'eslint-plugin-tailwind-order'],
    ['yarn 1, a scoped package on a private registry', gitlabJob('node:20', '$ yarn install\nerror An unexpected error occurred: "https://npm.acme.dev/repository/npm-group/@acme%2fdesign-tokens: Request failed \\"404 Not Found\\"".'), '@acme/design-tokens'],
    ['yarn berry', githubStep('yarn install', '➤ YN0000: ┌ Resolution step\n➤ YN0001: │ HTTPError: @acme/ui-kit@npm:^2.0.0: Response code 404 (Not Found)\n➤ YN0000: └ Completed in 0s 294ms'), '@acme/ui-kit'],
  ];
  it.each(cases)('%s', (_name, log, pkg) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: pkg, fixable: 'no' } });
    expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
  });

  it('a tarball that 404s is not read as a package missing from the registry', () => {
    const log = githubStep('yarn install', 'error An unexpected error occurred: "https://registry.yarnpkg.com/@octokit/graphql-schema/-/graphql-schema-13.10.0.tgz: Request failed \\"404 Not Found\\"".');
    expect(analyzeFailure(log).playbookId).not.toBe('pb-dep-002');
  });
});

// Schema validators of the environment list variables with no value under a header that says "invalid".
describe('pb-env-001: environment schema validators', () => {
  const cases: Array<[string, string, string]> = [
    ['t3-env (zod 3)', gitlabJob('node:20-alpine', "$ pnpm build\n   Collecting page data ...\n❌ Invalid environment variables: {\n  NEXT_PUBLIC_API_BASE_URL: [ 'Required' ],\n  AUTH_SECRET: [ 'Required' ]\n}\nError: Invalid environment variables"), 'NEXT_PUBLIC_API_BASE_URL'],
    ['t3-env (zod 4)', githubStep('npm run build', "❌ Invalid environment variables: {\n  DATABASE_URL: [ 'Invalid input: expected string, received undefined' ]\n}"), 'DATABASE_URL'],
    ['envalid', jenkinsStage('+ node dist/migrate.js\n================================\n Missing environment variables:\n    PGPASSWORD: undefined\n Exiting with error code 1\n================================'), 'PGPASSWORD'],
  ];
  it.each(cases)('%s', (_name, log, variable) => {
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-env-001', slots: { variable } });
  });

  it('values that are set but invalid stay a configuration error', () => {
    const log = githubStep('npm run build', "❌ Invalid environment variables: {\n  NEXT_PUBLIC_API_BASE_URL: [ 'Invalid url' ]\n}\nError: Invalid environment variables");
    expect(analyzeFailure(log).playbookId).toBe('pb-env-002');
  });
});

describe('a Docker build context without the path a COPY needs is not a compile error', () => {
  it('buildx: failed to calculate checksum ... not found', () => {
    const log = gitlabJob('docker:26.1', `$ docker buildx build -t app .
#7 [3/3] COPY dist/ /usr/share/nginx/html/
#7 ERROR: failed to calculate checksum of ref 7e6a1b2c::q8w2e4r6: "/dist": not found
ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 7e6a1b2c::q8w2e4r6: "/dist": not found`);
    expect(analyzeFailure(log).playbookId).not.toBe('pb-build-000');
  });
});
