import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

const conflicts: Array<[string, string]> = [
  ['npm ERESOLVE (npm 10 wording)', githubStep('npm install', `
npm error code ERESOLVE
npm error ERESOLVE unable to resolve dependency tree
npm error
npm error While resolving: web@1.0.0
npm error Found: react@18.2.0
npm error Could not resolve dependency:
npm error peer react@"^17.0.0" from react-select@4.3.1`)],
  ['npm ci with a stale lock file', gitlabJob('node:20', `
$ npm ci
npm ERR! code EUSAGE
npm ERR!
npm ERR! \`npm ci\` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with \`npm install\` before continuing.
npm ERR!
npm ERR! Missing: left-pad@1.3.0 from lock file`)],
  ['pnpm frozen lockfile', gitlabJob('node:20', ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json')],
  ['yarn berry immutable install', githubStep('yarn install --immutable', '➤ YN0000: ┌ Resolution step\n➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.\n➤ YN0000: └ Completed in 2s')],
  ['pip resolver', gitlabJob('python:3.11', `
$ pip install -r requirements.txt
ERROR: Cannot install flask==3.0.0 and werkzeug==2.2.3 because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested werkzeug==2.2.3
    flask 3.0.0 depends on Werkzeug>=3.0.0
ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/`)],
  ['poetry solver', githubStep('poetry install', `
Updating dependencies
Resolving dependencies...

Because pandas (2.2.0) depends on numpy (>=1.26.0,<2)
 and app depends on numpy (^2.0), pandas is forbidden.
So, because app depends on pandas (2.2.0), version solving failed.`)],
  ['Python too old for a package', gitlabJob('python:3.8', "$ pip install -e .\nERROR: Package 'app' requires a different Python: 3.8.18 not in '>=3.10'")],
  ['cargo --locked', gitlabJob('rust:1.79', '$ cargo build --locked\nerror: the lock file /builds/x/Cargo.lock needs to be updated but --locked was passed to prevent this\nIf you want to try to generate the lock file without accessing the network, remove the --locked flag and use --offline instead.', 101)],
  ['go mod tidy needed', githubStep('go build ./...', 'go: updates to go.mod needed; to update it:\n\tgo mod tidy')],
  ['gradle conflict', gitlabJob('gradle:8-jdk17', `
$ ./gradlew build
> Task :app:compileJava FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':app:compileJava'.
> Could not resolve all files for configuration ':app:compileClasspath'.
   > Conflict found for the following module:
       - org.slf4j:slf4j-api between versions 2.0.13 and 1.7.36`)],
  ['bundler', jenkinsStage('+ bundle install\nBundler could not find compatible versions for gem "rack":\n  In Gemfile:\n    rails (~> 7.1) was resolved to 7.1.3, which depends on\n      rack (>= 2.2.4)')],
  ['composer', githubStep('composer install', 'Your requirements could not be resolved to an installable set of packages.\n\n  Problem 1\n    - laravel/framework[v11.0.0] require php ^8.2 -> your php version (8.1.27) does not satisfy that requirement.')],
  ['npm engine error', githubStep('npm ci', 'npm ERR! code EBADENGINE\nnpm ERR! engine Unsupported engine\nnpm ERR! engine Not compatible with your version of node/npm: vite@5.2.0\nnpm ERR! notsup Required: {"node":"^18.0.0 || >=20.0.0"}\nnpm ERR! notsup Actual:   {"npm":"8.19.4","node":"v16.20.2"}')],
];

describe('pb-dep-003 dependency version conflict', () => {
  it.each(conflicts)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-dep-003');
    expect(diagnosis.autoFix).toBeUndefined();
    expect(diagnosis.risk).toBe('medium');
    expect(diagnosis.evidence.length).toBeGreaterThan(0);
  });

  it('an engine warning that npm survived is not a conflict', () => {
    const log = githubStep('npm test', 'npm WARN EBADENGINE Unsupported engine {\nnpm WARN EBADENGINE   package: \'x@1.0.0\',\n}\n\n> x@1.0.0 test\n> jest\n\nTests:       1 failed, 9 passed, 10 total\n  ● sum › adds\n\n    expect(received).toBe(expected) // Object.is equality');
    expect(analyzeFailure(log).playbookId).toBe('pb-test-000');
  });
});
