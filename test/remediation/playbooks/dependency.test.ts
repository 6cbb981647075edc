import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-dep-001 missing Python package', () => {
  it('pytest collection error on GitLab: adds the package', () => {
    const log = gitlabJob('python:3.12', `
$ pytest
==================================== ERRORS ====================================
_______________________ ERROR collecting tests/test_s3.py ________________________
ImportError while importing test module '/builds/acme/files/tests/test_s3.py'.
tests/test_s3.py:1: in <module>
    import boto3
E   ModuleNotFoundError: No module named 'boto3'
=========================== short test summary info ============================
ERROR tests/test_s3.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!`);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-001');
    expect(diagnosis.slots).toMatchObject({ module: 'boto3', package: 'boto3', command: 'pytest' });
    expect(diagnosis.autoFix).toEqual({ kind: 'add-dependency', ecosystem: 'pypi', package: 'boto3', manifests: ['requirements.txt', 'pyproject.toml'] });
    expect(diagnosis.evidence.map((line) => line.text)).toContain("E   ModuleNotFoundError: No module named 'boto3'");
  });

  it('maps import names to distributions (sklearn -> scikit-learn), poetry on GitHub', () => {
    const log = githubStep('poetry run python train.py', `
Traceback (most recent call last):
  File "/home/runner/work/ml/ml/train.py", line 4, in <module>
    from sklearn.model_selection import train_test_split
ModuleNotFoundError: No module named 'sklearn'`);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-001');
    expect(diagnosis.autoFix).toMatchObject({ package: 'scikit-learn', module: 'sklearn' });
  });

  it('Windows runner paths and yaml -> PyYAML', () => {
    const log = githubStep('python scripts\\gen.py', `
Traceback (most recent call last):
  File "D:\\a\\tools\\tools\\scripts\\gen.py", line 2, in <module>
    import yaml
ModuleNotFoundError: No module named 'yaml'`);
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'PyYAML' } });
  });

  it('python -m with the module missing, and a CLI missing from the image', () => {
    expect(analyzeFailure(jenkinsStage('+ python3 -m pytest tests/\n/usr/bin/python3: No module named pytest'))).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'pytest' } });
    expect(analyzeFailure(gitlabJob('python:3.11-slim', '$ flake8 src/\n/bin/bash: line 152: flake8: command not found', 127))).toMatchObject({
      playbookId: 'pb-dep-001',
      slots: { package: 'flake8' },
    });
  });

  it('a namespace package with nothing installed under it (google.cloud)', () => {
    const log = gitlabJob('python:3.10', "$ python -m exporter\nImportError: cannot import name 'bigquery' from 'google.cloud' (unknown location)");
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'google-cloud-bigquery' } });
  });

  it('a package the index does not have: diagnosed, but no add-dependency fix', () => {
    const log = gitlabJob('python:3.12', `
$ pip install -r requirements.txt
Looking in indexes: https://pypi.org/simple
ERROR: Could not find a version that satisfies the requirement acme-internal-sdk==4.2.0 (from versions: none)
ERROR: No matching distribution found for acme-internal-sdk==4.2.0`);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-001');
    expect(diagnosis.autoFix).toBeUndefined();
    expect(diagnosis.suggestedFix).toBeUndefined();
  });

  it('a standard-library module missing is a broken image: no fix offered', () => {
    const diagnosis = analyzeFailure(gitlabJob('custom/python:3.11', "$ python app.py\nModuleNotFoundError: No module named '_ctypes'"));
    expect(diagnosis.playbookId).toBe('pb-dep-001');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it("the project's own package is not a PyPI package: pb-build-000, and the caller can name its modules", () => {
    expect(analyzeFailure(gitlabJob('python:3.12', "$ pytest\nE   ModuleNotFoundError: No module named 'src'")).playbookId).toBe('pb-build-000');
    const log = gitlabJob('python:3.12', "$ pytest\nE   ModuleNotFoundError: No module named 'invoices'");
    expect(analyzeFailure(log).playbookId).toBe('pb-dep-001');
    expect(analyzeFailure(log, { localModules: ['invoices'] }).playbookId).toBe('pb-build-000');
  });
});

// `No module named 'a.b'` means `a` imported: the part is missing, and adding `a` to requirements fixes nothing.
describe('a missing part of a package that did import', () => {
  it("the project's own package (its files are in the traceback): pb-build-000, no fix", () => {
    const pytest = gitlabJob('python:3.11-slim', `
$ pytest -q tests/
_______________ ERROR collecting tests/orders/test_refunds.py ___________________
tests/orders/test_refunds.py:3: in <module>
    from shop.orders.refunds import refund
src/shop/orders/refunds.py:4: in <module>
    from .ledger import Ledger
E   ModuleNotFoundError: No module named 'shop.orders.ledger'`);
    const traceback = githubStep('python -m worker', `
Traceback (most recent call last):
  File "/home/runner/work/ingest/ingest/worker/__main__.py", line 2, in <module>
    from worker.jobs import run
ModuleNotFoundError: No module named 'worker.jobs'`);
    const noPaths = jenkinsStage("+ python -m billing.cli\n/usr/bin/python3: No module named billing.cli");
    for (const log of [pytest, traceback, noPaths]) {
      const diagnosis = analyzeFailure(log);
      expect(diagnosis.playbookId).toBe('pb-build-000');
      expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
    }
  });

  it('a well-known distribution that lacks it in the installed version: pb-dep-003, no fix', () => {
    const sklearn = gitlabJob('python:3.12', `
$ python train.py
Traceback (most recent call last):
  File "/builds/ml/churn/train.py", line 7, in <module>
    from sklearn.externals import joblib
ModuleNotFoundError: No module named 'sklearn.externals'`);
    const django = githubStep('python manage.py check', `
  File "/home/runner/work/crm/crm/.venv/lib/python3.12/site-packages/corsheaders/checks.py", line 7, in <module>
    from django.utils.six.moves.urllib.parse import urlparse
ModuleNotFoundError: No module named 'django.utils.six'`);
    for (const log of [sklearn, django]) {
      const diagnosis = analyzeFailure(log);
      expect(diagnosis.playbookId).toBe('pb-dep-003');
      expect(diagnosis.autoFix ?? diagnosis.suggestedFix).toBeUndefined();
    }
  });

  it('namespace packages stay missing distributions', () => {
    const log = gitlabJob('python:3.12', "$ python export.py\nModuleNotFoundError: No module named 'google.cloud.storage'");
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-001', autoFix: { package: 'google-cloud-storage' } });
  });
});

describe('pb-dep-002 missing npm package', () => {
  it('node at runtime, with the require stack: a runtime dependency', () => {
    const log = gitlabJob('node:20', `
$ node server.js
node:internal/modules/cjs/loader:1228
  throw err;
  ^

Error: Cannot find module 'express'
Require stack:
- /builds/acme/api/server.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '/builds/acme/api/server.js' ]
}`);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-002');
    expect(diagnosis.slots).toMatchObject({ package: 'express', importer: '/builds/acme/api/server.js' });
    expect(diagnosis.autoFix).toEqual({ kind: 'add-dependency', ecosystem: 'npm', package: 'express', dev: false, manifests: ['package.json'] });
  });

  it('jest resolving from a test file: a dev dependency', () => {
    const log = githubStep('npx jest', `
FAIL test/app.test.js
  ● Test suite failed to run

    Cannot find module 'supertest' from 'test/app.test.js'

Test Suites: 1 failed, 3 passed, 4 total`);
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-002', autoFix: { package: 'supertest', dev: true } });
  });

  it('tsc TS2307 on a bare specifier is a missing package, not a code error', () => {
    const log = gitlabJob('node:20', "$ npx tsc --noEmit\nsrc/schema.ts(1,19): error TS2307: Cannot find module 'zod' or its corresponding type declarations.\n\nFound 1 error in src/schema.ts:1");
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'zod' } });
  });

  it('bundlers: webpack, esbuild, vite; scoped packages and subpaths', () => {
    const webpack = githubStep('npm run build', "ERROR in ./src/api.ts 3:0-26\nModule not found: Error: Can't resolve 'axios' in '/home/runner/work/web/web/src'");
    const esbuild = gitlabJob('node:20', '$ node build.mjs\n✘ [ERROR] Could not resolve "@aws-sdk/client-s3"\n\n    src/upload.ts:1:25:\n      1 │ import { S3Client } from "@aws-sdk/client-s3";');
    const subpath = jenkinsStage("+ node scripts/merge.js\nError: Cannot find module 'lodash/merge'\nRequire stack:\n- /var/lib/jenkins/workspace/web/scripts/merge.js");
    expect(analyzeFailure(webpack).slots.package).toBe('axios');
    expect(analyzeFailure(esbuild).slots.package).toBe('@aws-sdk/client-s3');
    expect(analyzeFailure(subpath).slots.package).toBe('lodash');
  });

  it('ESM packages and missing CLIs, including Windows cmd', () => {
    const esm = gitlabJob('node:20', "$ node cli.mjs\nError [ERR_MODULE_NOT_FOUND]: Cannot find package 'chalk' imported from /builds/x/cli.mjs");
    const tsc = gitlabJob('node:20', '$ npm run build\n> app@1.0.0 build\n> tsc -p .\n\nsh: 1: tsc: not found');
    const windows = githubStep('npm test', "> jest\n\n'jest' is not recognized as an internal or external command,\noperable program or batch file.");
    expect(analyzeFailure(esm)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'chalk' } });
    expect(analyzeFailure(tsc)).toMatchObject({ playbookId: 'pb-dep-002', autoFix: { package: 'typescript', dev: true } });
    expect(analyzeFailure(windows)).toMatchObject({ playbookId: 'pb-dep-002', slots: { package: 'jest' } });
  });

  it('ESLint plugins are dev dependencies', () => {
    const log = githubStep('npx eslint .', 'Oops! Something went wrong! :(\n\nESLint: 8.57.0\n\nESLint couldn\'t find the plugin "eslint-plugin-react".');
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-002', autoFix: { package: 'eslint-plugin-react', dev: true } });
  });

  it('a name the registry does not know: diagnosed, never auto-added', () => {
    const log = githubStep('npm ci', 'npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/reqeusts - Not found\nnpm ERR! 404\nnpm ERR! 404  \'reqeusts@^2.0.0\' is not in this registry.');
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-002');
    expect(diagnosis.slots.package).toBe('reqeusts');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('relative imports and path aliases are the project\'s code (pb-build-000)', () => {
    const relative = gitlabJob('node:20', "$ npx jest\n  ● Test suite failed to run\n\n    Cannot find module './utils' from 'src/index.test.ts'");
    const alias = githubStep('npx tsc', "src/pages/home.ts:2:20 - error TS2307: Cannot find module '@/lib/db' or its corresponding type declarations.");
    const windows = githubStep('node dist\\index.js', "Error: Cannot find module 'C:\\a\\app\\dist\\index.js'");
    for (const log of [relative, alias, windows]) expect(analyzeFailure(log).playbookId).toBe('pb-build-000');
  });
});
