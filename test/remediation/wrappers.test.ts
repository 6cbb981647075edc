import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from './runners.js';

// Monorepo runners and build tools prefix each line of the tool they wrap; anchored signals must still see it.
describe('lines wrapped by monorepo and container tooling', () => {
  it('pnpm -r prefixes the package and script', () => {
    const log = gitlabJob('node:20', '$ pnpm -r test\npackages/api test$ pytest\npackages/api test: E   ModuleNotFoundError: No module named \'boto3\'\npackages/api test: FAILED tests/test_s3.py::test_upload');
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-dep-001', slots: { package: 'boto3' } });
  });

  it('yarn workspaces foreach prefixes the workspace', () => {
    const log = githubStep('yarn workspaces foreach -pv run test', '[@acme/web]: FAIL src/cart.test.ts\n[@acme/web]:   ● Cart › totals\n[@acme/web]: Tests:       1 failed, 40 passed, 41 total');
    expect(analyzeFailure(log).playbookId).toBe('pb-test-000');
  });

  it('lerna --stream prefixes the scoped package', () => {
    const log = jenkinsStage('+ npx lerna run build --stream\n@acme/api: src/user.ts(12,7): error TS2322: Type \'string\' is not assignable to type \'number\'.\nlerna ERR! npm run build exited 2 in \'@acme/api\'');
    expect(analyzeFailure(log)).toMatchObject({ playbookId: 'pb-build-000', slots: { file: 'src/user.ts' } });
  });

  it("buildx's error summary (seconds before each line) and Earthly's target prefix", () => {
    const buildx = githubStep('docker buildx build .', '------\n > [build 4/6] RUN npm ci:\n0.512 npm ERR! code ERESOLVE\n0.513 npm ERR! ERESOLVE unable to resolve dependency tree\n------\nERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1');
    const earthly = gitlabJob('earthly/earthly:v0.8', '$ earthly +test\n              +test | --- FAIL: TestParse (0.00s)\n              +test | FAIL\tgithub.com/acme/cfg\t0.004s');
    expect(analyzeFailure(buildx).playbookId).toBe('pb-dep-003');
    expect(analyzeFailure(earthly)).toMatchObject({ playbookId: 'pb-test-000', slots: { test: 'TestParse' } });
  });
});

describe('more families, by their own words', () => {
  it('resolvers of other ecosystems (Swift PM, CocoaPods, Bundler)', () => {
    const spm = githubStep('swift build', "error: Dependencies could not be resolved because root depends on 'swift-nio' 2.60.0..<3.0.0 and root depends on 'swift-nio' 1.14.0..<2.0.0.");
    const pods = githubStep('pod install', '[!] CocoaPods could not find compatible versions for pod "Firebase/Core":\n  In Podfile:\n    Firebase/Core (~> 10.0)');
    const bundler = gitlabJob('ruby:3.3', '$ bundle install\nCould not find compatible versions\n\nBecause rails >= 7.1.0 depends on activesupport = 7.1.3\n  and every version of legacy_gem depends on activesupport < 7.0,');
    for (const log of [spm, pods, bundler]) expect(analyzeFailure(log).playbookId).toBe('pb-dep-003');
  });

  it('framework secrets (Rails master key, Laravel, Symfony, Kubernetes secret)', () => {
    const rails = gitlabJob('ruby:3.3', '$ bin/rails assets:precompile\nMissing encryption key to decrypt file with. Ask your team for your master key and write it to config/master.key or put it in the ENV[\'RAILS_MASTER_KEY\'].');
    const laravel = githubStep('php artisan test', 'Illuminate\\Encryption\\MissingAppKeyException: No application encryption key has been specified.');
    const symfony = gitlabJob('php:8.3', '$ bin/console doctrine:migrations:migrate\nIn EnvVarProcessor.php line 187:\n  Environment variable not found: "DATABASE_URL".');
    const kube = gitlabJob('bitnami/kubectl:1.29', '$ kubectl rollout status deploy/api\nWarning  Failed  12s  kubelet  Error: secret "api-db-credentials" not found\nerror: deployment "api" exceeded its progress deadline');
    for (const log of [rails, laravel, symfony, kube]) expect(analyzeFailure(log).playbookId).toBe('pb-env-001');
    expect(analyzeFailure(symfony).slots.variable).toBe('DATABASE_URL');
  });

  it('link errors are the code (clang on macOS, MSVC)', () => {
    const clang = githubStep('cmake --build build', 'Undefined symbols for architecture arm64:\n  "_parse_header", referenced from:\n      _main in main.o\nld: symbol(s) not found for architecture arm64\nclang: error: linker command failed with exit code 1 (use -v to see invocation)');
    const msvc = githubStep('msbuild app.sln', 'main.obj : error LNK2019: unresolved external symbol parse_header referenced in function main [D:\\a\\app\\app.vcxproj]');
    for (const log of [clang, msvc]) expect(analyzeFailure(log).playbookId).toBe('pb-build-000');
  });
});
