import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-dep-002: a package.json script whose command is not installed', () => {
  it('a known CLI (vue-cli-service, npm 6 on Drone): adds its package as a dev dependency', () => {
    const log = ['+ npm install --production', 'added 87 packages in 5.1s', '+ npm run build', '', '> admin-ui@1.8.0 build /drone/src', '> vue-cli-service build', '', 'sh: 1: vue-cli-service: not found', 'npm ERR! code ELIFECYCLE', 'npm ERR! syscall spawn', 'npm ERR! errno ENOENT'].join('\n');
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: '@vue/cli-service', dev: 'yes' } });
  });

  it('an unknown CLI in a script (npm 10, yarn 1, pnpm): diagnosed, nothing auto-added', () => {
    const npm = gitlabJob('node:20', '$ npm run gen\n\n> api@2.0.0 gen\n> orval --config orval.config.ts\n\nsh: 1: orval: not found\nnpm error code 127');
    const yarn = githubStep('yarn build', 'yarn run v1.22.22\n$ ember build --environment=production\n/bin/sh: ember: command not found\nerror Command failed with exit code 127.');
    const pnpm = jenkinsStage('+ pnpm -r build\npackages/web build$ quasar build\npackages/web build: sh: quasar: not found\n ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/web@1.0.0 build: `quasar build`');
    for (const log of [npm, yarn, pnpm]) {
      const diagnosis = analyzeFailure(log);
      expect(diagnosis.playbookId).toBe('pb-dep-002');
      expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
      expect(diagnosis.summary).toContain('script runs is not installed');
    }
  });

  it('a system tool missing inside a script is not an npm package', () => {
    const log = gitlabJob('node:20', '$ npm run release\n\n> api@2.0.0 release\n> docker build -t api .\n\nsh: 1: docker: not found\nnpm error code 127');
    expect(analyzeFailure(log).playbookId).not.toBe('pb-dep-002');
  });
});

describe('pb-dep-002: other resolvers saying a package is missing', () => {
  it('Yarn PnP: required but not declared by the workspace (no auto-fix: the workspace manifest is the fix)', () => {
    const log = githubStep('yarn workspace @acme/cli run smoke', "Error: @acme/cli tried to access chalk, but it isn't declared in its dependencies; this makes the require call ambiguous and unsound.\n\nRequired package: chalk\nRequired by: @acme/cli@workspace:packages/cli");
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'chalk' } });
    expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
  });

  it('bun, parcel and metro', () => {
    const bun = gitlabJob('oven/bun:1.1', '$ bun run src/index.ts\nerror: Cannot find package "hono" from "/builds/x/src/index.ts"');
    const parcel = githubStep('npx parcel build src/index.html', "@parcel/core: Failed to resolve 'date-fns' from './src/app.tsx'");
    const metro = githubStep('npx react-native bundle --platform android', 'error: Unable to resolve module react-native-svg from /home/runner/work/app/app/src/Logo.tsx: react-native-svg could not be found within the project.');
    expect(analyzeFailure(bun)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'hono' } });
    expect(analyzeFailure(parcel)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'date-fns' } });
    expect(analyzeFailure(metro)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'react-native-svg' } });
  });

  it('a relative path under metro or parcel is still the project\'s code', () => {
    const metro = githubStep('npx react-native bundle', 'error: Unable to resolve module ./theme from /home/runner/work/app/app/src/App.tsx: None of these files exist');
    expect(analyzeFailure(metro).playbookId).toBe('pb-build-000');
  });

  it('TS7016 (no declaration file): diagnosed, @types not auto-added since it may not exist', () => {
    const log = gitlabJob('node:20', "$ npx tsc --noEmit\nsrc/pdf.ts(1,22): error TS7016: Could not find a declaration file for module 'pdfkit-table'. '/builds/x/node_modules/pdfkit-table/index.js' implicitly has an 'any' type.");
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-002');
    expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
  });
});

describe('pb-dep-001: Python runners that cannot find a tool', () => {
  const cases: Array<[string, string, string]> = [
    ['uv run', gitlabJob('ghcr.io/astral-sh/uv:python3.12-bookworm-slim', '$ uv sync --frozen --no-dev\nInstalled 31 packages in 96ms\n$ uv run --no-sync mypy src/\nerror: Failed to spawn: `mypy`\n  Caused by: No such file or directory (os error 2)'), 'mypy'],
    ['poetry run', githubStep('poetry run pytest', '\nCommand not found: pytest'), 'pytest'],
    ['pipenv run', jenkinsStage("+ pipenv run black --check .\nError: the command black could not be found within PATH or Pipfile's [scripts]."), 'black'],
    ['pdm run', gitlabJob('python:3.12', "$ pdm run ruff check .\n[PdmUsageError]: Command 'ruff' is not found in your PATH."), 'ruff'],
    ['nox', gitlabJob('python:3.12', '$ nox -s lint\nnox > Running session lint\nnox > Program flake8 not found.\nnox > Session lint failed.'), 'flake8'],
  ];
  it.each(cases)('%s', (_name, log, pkg) => {
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: pkg } });
  });
});
