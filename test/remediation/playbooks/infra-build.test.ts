import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-infra-001 transient network or runner failure: retried automatically', () => {
  const cases: Array<[string, string]> = [
    ['npm ECONNRESET', githubStep('npm ci', 'npm ERR! code ECONNRESET\nnpm ERR! syscall read\nnpm ERR! errno ECONNRESET\nnpm ERR! network Invalid response body while trying to fetch https://registry.npmjs.org/typescript: read ECONNRESET\nnpm ERR! network This is a problem related to network connectivity.')],
    ['yarn socket timeout', gitlabJob('node:18', '$ yarn install --frozen-lockfile\n[2/4] Fetching packages...\ninfo There appears to be trouble with your network connection. Retrying...\nerror An unexpected error occurred: "https://registry.yarnpkg.com/rxjs/-/rxjs-7.8.1.tgz: ESOCKETTIMEDOUT".')],
    ['pip retries exhausted', gitlabJob('python:3.12', "$ pip install -r requirements.txt\nWARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/requests/\nWARNING: Retrying (Retry(total=3, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/requests/\nERROR: Could not find a version that satisfies the requirement requests==2.32.3 (from versions: none)\nERROR: No matching distribution found for requests==2.32.3")],
    ['git clone DNS', jenkinsStage("+ git clone https://github.com/acme/shared.git\nCloning into 'shared'...\nfatal: unable to access 'https://github.com/acme/shared.git/': Could not resolve host: github.com")],
    ['Docker Hub rate limit', gitlabJob('docker:27', '$ docker build -t app .\nERROR: failed to solve: node:20-alpine: failed to resolve source metadata for docker.io/library/node:20-alpine: failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/node/manifests/sha256:abc: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.')],
    ['GitLab runner system failure', 'Running with gitlab-runner 17.1.0\nPreparing the "docker+machine" executor\nERROR: Preparation failed: error during connect: Post "https://10.0.0.12:2376/v1.24/containers/create": dial tcp 10.0.0.12:2376: i/o timeout\nWill be retried in 3s ...\nERROR: Job failed (system failure): error during connect: dial tcp 10.0.0.12:2376: i/o timeout'],
    ['GitHub runner lost', githubStep('./e2e.sh', 'Starting suite\n##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.')],
    ['Maven Central hiccup', jenkinsStage('+ mvn -B package\n[ERROR] Failed to execute goal on project api: Could not resolve dependencies for project com.acme:api:jar:1.0: Could not transfer artifact org.postgresql:postgresql:jar:42.7.3 from/to central (https://repo.maven.apache.org/maven2): Connection reset')],
    ['Go proxy timeout', githubStep('go mod download', 'go: github.com/stretchr/testify@v1.9.0: Get "https://proxy.golang.org/github.com/stretchr/testify/@v/v1.9.0.mod": dial tcp 142.250.72.17:443: i/o timeout')],
    ['Docker daemon not up (dind)', gitlabJob('docker:27', '$ docker info\nCannot connect to the Docker daemon at tcp://docker:2375. Is the docker daemon running?')],
    ['502 from a registry', gitlabJob('python:3.12', '$ pip download -d wheels -r requirements.txt\nERROR: HTTP error 502 while getting https://files.pythonhosted.org/packages/torch-2.3.0.whl\nERROR: 502 Server Error: Bad Gateway for url: https://files.pythonhosted.org/packages/torch-2.3.0.whl')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-infra-001');
    expect(diagnosis.risk).toBe('low');
  });

  it('a confident network failure is retried', () => {
    expect(analyzeFailure(cases[0]?.[1] ?? '').autoFix).toEqual({ kind: 'retry', scope: 'job' });
  });

  it('a network warning npm survived does not explain a real test failure', () => {
    const log = gitlabJob('node:20', "$ npm ci\nnpm WARN retry will retry, error on last attempt: Error: socket hang up\nadded 800 packages in 40s\n$ npm test\nFAIL src/price.test.ts\n  ● price › rounds half up\n\n    expect(received).toBe(expected) // Object.is equality\n\nTests:       1 failed, 33 passed, 34 total");
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-000');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('an artifact upload failing after the real failure is noise', () => {
    const log = gitlabJob('golang:1.22', '$ go build ./...\n./main.go:14:2: undefined: serve\nUploading artifacts for failed job\nUploading artifacts...\nWARNING: Uploading artifacts as "archive" to coordinator... 502 Bad Gateway  id=1 responseStatus=502 Bad Gateway\nERROR: Uploading artifacts as "archive" to coordinator... error  error=couldn\'t execute POST against https://gitlab.example.com/api/v4/jobs/1/artifacts: Post "https://gitlab.example.com/api/v4/jobs/1/artifacts": net/http: request canceled');
    expect(analyzeFailure(log).playbookId).toBe('pb-build-000');
  });
});

describe('pb-build-000 compile, type or lint error', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['tsc (pretty)', gitlabJob('node:20', "$ npx tsc --noEmit\nsrc/user.ts:12:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n12   age = '42';\n\nFound 1 error in src/user.ts:12"), 'src/user.ts'],
    ['tsc on Windows', githubStep('npx tsc', "D:\\a\\web\\web\\src\\app.ts(4,10): error TS2304: Cannot find name 'foo'."), 'D:\\a\\web\\web\\src\\app.ts'],
    ['eslint', githubStep('npx eslint .', "/home/runner/work/web/web/src/a.js\n  3:7  error  'x' is assigned a value but never used  no-unused-vars\n\n✖ 1 problem (1 error, 0 warnings)"), undefined],
    ['prettier --check', gitlabJob('node:20', '$ npx prettier --check .\nChecking formatting...\n[warn] src/index.ts\n[warn] Code style issues found in the above file. Run Prettier with --write to fix.'), undefined],
    ['python SyntaxError under pytest', gitlabJob('python:3.12', '$ pytest\nE     File "/builds/x/app/models.py", line 10\nE       def total(self)\nE                      ^\nE   SyntaxError: expected \':\''), undefined],
    ['mypy', jenkinsStage('+ mypy src\nsrc/app/api.py:33: error: Argument 1 to "get" has incompatible type "int"; expected "str"  [arg-type]\nFound 1 error in 1 file (checked 42 source files)'), 'src/app/api.py'],
    ['ruff', gitlabJob('python:3.12', '$ ruff check .\napp/main.py:1:8: F401 [*] `os` imported but unused\nFound 1 error.'), 'app/main.py'],
    ['go', gitlabJob('golang:1.22', '$ go vet ./...\n# github.com/acme/svc/internal/http\ninternal/http/server.go:41:9: undefined: handler'), 'internal/http/server.go'],
    ['javac via maven', jenkinsStage('+ mvn -B compile\n[ERROR] COMPILATION ERROR :\n[ERROR] /var/lib/jenkins/workspace/svc/src/main/java/com/acme/App.java:[12,8] cannot find symbol\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project svc: Compilation failure'), '/var/lib/jenkins/workspace/svc/src/main/java/com/acme/App.java'],
    ['kotlin via gradle', gitlabJob('gradle:8-jdk17', "$ ./gradlew build\n> Task :app:compileKotlin FAILED\ne: file:///builds/x/app/src/main/kotlin/App.kt:7:5 Unresolved reference: lunch"), '/builds/x/app/src/main/kotlin/App.kt'],
    ['rust', githubStep('cargo build', 'error[E0425]: cannot find value `cfg` in this scope\n --> src/main.rs:9:13\n\nerror: could not compile `svc` (bin "svc") due to 1 previous error', 101), undefined],
    ['C++', jenkinsStage("+ make\nsrc/index.cpp:88:5: error: 'unordered_mapp' was not declared in this scope\nmake: *** [Makefile:12: build/index.o] Error 1"), 'src/index.cpp'],
    ['C#', githubStep('dotnet build', "D:\\a\\api\\api\\src\\Orders.cs(14,17): error CS0103: The name 'totl' does not exist in the current context [D:\\a\\api\\api\\src\\Api.csproj]"), undefined],
  ];
  it.each(cases)('%s', (_name, log, file) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-build-000');
    if (file) expect(diagnosis.slots.file).toBe(file);
    expect(diagnosis.autoFix).toBeUndefined();
  });
});

describe('unknown: failures no playbook claims', () => {
  const cases: Array<[string, string]> = [
    ['coverage gate', githubStep('npx nyc check-coverage', 'ERROR: Coverage for lines (78.5%) does not meet global threshold (80%)')],
    ['merge conflict', gitlabJob('alpine/git', '$ git merge origin/main\nAuto-merging package.json\nCONFLICT (content): Merge conflict in package.json\nAutomatic merge failed; fix conflicts and then commit the result.')],
    ['rollout deadline', gitlabJob('bitnami/kubectl', '$ kubectl rollout status deploy/api --timeout=120s\nWaiting for deployment "api" rollout to finish: 0 of 3 updated replicas are available...\nerror: deployment "api" exceeded its progress deadline')],
    ['permission denied on a script', gitlabJob('alpine', '$ ./deploy.sh\n/bin/sh: eval: line 140: ./deploy.sh: Permission denied', 126)],
    ['a bare exit code', gitlabJob('alpine', '$ ./ci/check.sh\nchecking release notes')],
    ['canceled', 'Running with gitlab-runner 17.2.0\n$ npm test\nERROR: Job failed: canceled'],
    ['empty log', ''],
    ['npm audit', githubStep('npm audit --audit-level=high', '# npm audit report\n\nsemver  <7.5.2\nSeverity: high\n\n3 vulnerabilities (1 moderate, 2 high)')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('unknown');
    expect(diagnosis.autoFix).toBeUndefined();
    expect(diagnosis.remediation.length).toBeGreaterThan(0);
  });
});

describe('pb-infra-001 on Windows agents, in other locales, and from more package managers', () => {
  const cases: Array<[string, string]> = [
    ['NuGet on a German Azure agent', githubStep('dotnet restore', 'error NU1301: Fehler beim Abrufen von Informationen zu "Newtonsoft.Json" aus der Remotequelle "https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json".\n  Eine vorhandene Verbindung wurde vom Remotehost geschlossen.')],
    ['.NET HttpClient timeout', githubStep('dotnet run --project tools/Sync', "Unhandled exception. System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.")],
    ['git on Windows', githubStep('git fetch --tags', 'error: RPC failed; curl 56 OpenSSL SSL_read: Connection was reset, errno 10054\nfatal: expected flush after ref listing')],
    ['apt in Spanish', gitlabJob('debian:12', '$ apt-get update\nErr:1 http://deb.debian.org/debian bookworm InRelease\n  Fallo temporal en la resolución del nombre «deb.debian.org»\nE: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Fallo temporal en la resolución del nombre «deb.debian.org»')],
    ['composer', gitlabJob('composer:2', '$ composer install\n  - Downloading symfony/console (v7.1.1)\n    Failed to download symfony/console from dist: curl error 28 while downloading https://api.github.com/repos/symfony/console/zipball/abc: Operation timed out after 300000 milliseconds')],
    ['Bundler', gitlabJob('ruby:3.3', '$ bundle install\nRetrying download gem from https://rubygems.org/ due to error (2/4): Gem::RemoteFetcher::FetchError Net::OpenTimeout: Failed to open TCP connection to rubygems.org:443 (execution expired)')],
    ['Azure agent lost', githubStep('./build.sh', '##[error]We stopped hearing from agent Hosted Agent. Verify the agent machine is running and has a healthy network connection.')],
    ['Jenkins agent went away', jenkinsStage('+ ./gradlew build\nCannot contact build-agent-7: hudson.remoting.ChannelClosedException: Channel "hudson.remoting.Channel@1a2b:build-agent-7": Remote call on build-agent-7 failed. The channel is closing down or has closed down\nAgent went offline during the build')],
  ];
  it.each(cases)('%s', (_name, log) => {
    expect(analyzeFailure(log).playbookId).toBe('pb-infra-001');
  });

  it('a .NET test that fails with a timeout of its own is not the network', () => {
    const log = githubStep('dotnet test', '  Failed Api.Tests.SerialTests.ReadsFrame [5 s]\n  Error Message:\n   System.TimeoutException : The operation has timed out.\nFailed!  - Failed:     1, Passed:    80, Skipped:     0, Total:    81');
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).not.toBe('pb-infra-001');
    expect(diagnosis.autoFix).toBeUndefined();
  });
});
