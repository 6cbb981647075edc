import { anyOf, signal, slotsOf } from './signal.js';
import { baseTestName, failingTests, passingTests } from './test-names.js';
import type { Detector, Playbook, Slots } from './types.js';

const testName = (index: number) => (m: RegExpExecArray) => slotsOf({ test: m[index] });

export function withFailingTest(lines: readonly string[], slots: Slots): Slots {
  if (slots.test) return slots;
  const [test] = failingTests(lines);
  return test ? { ...slots, test } : slots;
}

// A job that was running tests: its own timeout is most likely a test that hung.
const RUNS_TESTS = anyOf([
  /(?:^\$ |^\+ |^Run |^> )[^\n]{0,200}\b(?:pytest|jest|vitest|mocha|go test|gotestsum|mvn|mvnw|gradlew?|cargo test|rspec|phpunit|dotnet test|tox|playwright|cypress)\b/,
  /(?:^\$ |^\+ |^Run |^> )[^\n]{0,200}\b(?:npm (?:run )?test|yarn test|pnpm test)\b/,
  /^={5,} test session starts|^\[INFO\] {2}T E S T S|^running \d+ tests?$|^=== RUN |^Test Suite '?[^'\n]{1,200}'? started/,
  // Toolchains whose test command is a subcommand: `xcodebuild -scheme App test`, `swift test`, `flutter test`, `sbt clean test`.
  /^(?:\$ |\+ |Run |> )?(?:xcodebuild\b[^\n]{0,300}? (?:test|test-without-building)\b|(?:swift|flutter|dart|mix|bazel) test\b|sbt\b[^\n]{0,200}? test\b|ctest\b)/,
  // A command alone on its line (CircleCI, Bitbucket, Drone echo it without a prompt).
  /^(?:npx |pnpm (?:exec )?|yarn |bundle exec |poetry run |uv run |python3? -m |\.\/)?(?:pytest|jest|vitest|mocha|go test|gotestsum|mvnw?|gradlew|cargo (?:test|nextest)|rspec|phpunit|dotnet test|playwright test|cypress run|mix test|ctest|bazel test)\b/,
]);
const JOB_TIMEOUT = anyOf([
  /execution took longer than \S{1,40} seconds/, // GitLab
  /has exceeded the maximum execution time|The job exceeded the maximum time limit/, // GitHub
  /Build timed out \(after \d+ minutes?\)/, // Jenkins
  /ran longer than the maximum time of \d+ minutes|Cancelling nested steps due to timeout/, // Azure
  /Too long with no output \(exceeded [\dhms.]+\)|Timeout has been exceeded|Execution timeout\b|exceeded the (?:maximum )?build time/, // CircleCI, Jenkins, TeamCity, Bitbucket
]);

const jobTimeoutWhileTesting: Detector = {
  name: 'job-timeout-while-testing',
  detect(lines) {
    const timeout = lines.findIndex((line) => JOB_TIMEOUT.test(line));
    if (timeout === -1) return [];
    const testing = lines.some((line) => RUNS_TESTS.test(line));
    return [{ signal: this.name, weight: testing ? 0.72 : 0.4, lineIndex: timeout, slots: {} }];
  },
};

export const testTimeout: Playbook = {
  id: 'pb-test-001',
  title: 'Test timeout',
  risk: 'medium',
  explains: ['pb-test-000'],
  signals: [
    signal('jest-timeout', /Exceeded timeout of \d{1,9} ?ms for a (?:test|hook)|Timeout - Async (?:callback was not invoked|function did not complete) within/, 0.92),
    signal('mocha-timeout', /Timeout of \d{1,9}ms exceeded/, 0.92),
    signal('vitest-timeout', /(?:Test|Hook) timed out in \d{1,9} ?ms/, 0.92),
    signal('playwright-timeout', /Test timeout of \d{1,9}ms exceeded/, 0.92),
    signal('pytest-timeout', /Failed: Timeout >[\d.]{1,12}s|^\+{5,} Timeout \+{5,}$/, 0.92),
    signal('go-test-timeout', /panic: test timed out after \S{1,20}/, 0.95),
    signal('junit-timeout', /TestTimedOutException|test timed out after \d{1,9} ?(?:milliseconds|ms|seconds)|\b(\w{1,200})\(\) timed out after \d{1,9} (?:milliseconds|seconds|minutes)/, 0.9, testName(1)),
    signal('dotnet-blame-hang', /The specified inactivity time of [^\n]{1,60} has elapsed|Blame: [^\n]{0,100}hang/i, 0.85),
    signal('nextest-timeout', /^\s*TIMEOUT \[\s{0,10}[\d.]{1,12}s\] (\S{1,200} \S{1,300})|\b\d{1,6} timed out\b/, 0.88, testName(1)),
    signal('cargo-test-slow', /test (\S{1,300}) has been running for over \d{1,6} seconds/, 0.55, testName(1)),
    signal('rspec-timeout', /\bTimeout::Error\b|execution expired/, 0.55),
    signal('e2e-wait-timeout', /Timed out retrying after \d{1,9}ms|TimeoutError: [^\n]{0,60}Timeout \d{1,9}ms exceeded|TimeoutError: Waiting for [^\n]{1,100} failed: timeout/, 0.6),
    signal('browser-navigation-timeout', /(?:Navigation|Waiting) timeout of \d{1,9} ?ms exceeded/, 0.7),
    signal('java-timeout-exception', /java\.util\.concurrent\.TimeoutException/, 0.6),
    // The runner killed a test process that ran too long: surefire/failsafe forks, Bazel, ctest, Karma.
    signal(
      'runner-killed-slow-tests',
      anyOf([
        /There was a timeout (?:or other error )?in the fork|forkedProcessTimeoutInSeconds|The forked VM terminated without properly saying goodbye[^\n]{0,200}timeout/,
        /^\/\/\S{1,300}\s+TIMEOUT in [\d.]{1,12}s|\*\*\*Timeout\b|Disconnected, because no message in \d{1,9} ?ms/,
      ]),
      0.88,
    ),
    // Per-test time limits in other runners: ExUnit, XCTest, NUnit, xUnit, MSTest, TestNG, Spock, Kotest, Bun, node:test, Dart, Robot, PHPUnit.
    signal(
      'test-time-limit',
      anyOf([
        /\(ExUnit\.TimeoutError\) test timed out after \d{1,9}ms|exceeded execution time allowance|Asynchronous wait failed: Exceeded timeout of/,
        /Test exceeded Timeout value of \d{1,9} ?ms|Test execution timed out after \d{1,9} ?(?:ms|milliseconds)|exceeded execution timeout period/,
        /\bThreadTimeoutException\b|didn't finish within the time-out|\bSpockTimeoutError\b|Method timed out after|Test did not complete within \d{1,9} ?ms/,
        /this test timed out after \d{1,9} ?ms|\btestTimeoutFailure\b|\bTest timed out after \d{1,9} (?:seconds|ms)|Test timeout [\w ]{1,40} exceeded|Execution aborted after \d{1,6} seconds?/,
      ]),
      0.9,
    ),
  ],
  detectors: [jobTimeoutWhileTesting],
  enrich: withFailingTest,
  summary: (slots) => (slots.test ? `Test \`${slots.test}\` did not finish within its time limit.` : 'A test (or the test job) ran past its time limit.'),
  remediation: (slots) => [
    `Run ${slots.test ? `\`${slots.test}\`` : 'the slow test'} locally and see where it waits: an unresolved promise, a missing \`done()\`, a network call or a lock that never frees.`,
    'Mock slow external calls; raise the timeout only if the work is legitimately long (and say why in the test).',
    'If it passes on retry, treat it as flaky and quarantine it rather than retrying forever.',
  ],
};

// A test that failed and also passed in the same job: the definition of flaky.
const failedThenPassed: Detector = {
  name: 'failed-then-passed',
  detect(lines) {
    const passed = new Set(passingTests(lines).map(baseTestName));
    const flaky = failingTests(lines).map(baseTestName).find((name) => passed.has(name));
    if (!flaky) return [];
    const lineIndex = lines.findIndex((line) => line.includes(flaky));
    return [{ signal: this.name, weight: 0.9, lineIndex: Math.max(0, lineIndex), slots: { test: flaky } }];
  },
};

// A retry wrapper reporting a failed attempt of the whole command (nick-fields/retry, shell retry loops).
const ATTEMPT_FAILED = /^(?:Attempt #?\d{1,3}(?:\/\d{1,3}| of \d{1,3})? failed\b|Final attempt failed\b)/i;

/** The log cut after each failed attempt of a retried command: what each attempt printed. */
function attemptsOf(lines: readonly string[]): (readonly string[])[] {
  const attempts: (readonly string[])[] = [];
  let start = 0;
  lines.forEach((line, index) => {
    if (!ATTEMPT_FAILED.test(line)) return;
    attempts.push(lines.slice(start, index + 1));
    start = index + 1;
  });
  return attempts;
}

// Attempts of the same command failing on different tests, none failing every time: each failure passed on another attempt.
const failuresMoveBetweenAttempts: Detector = {
  name: 'failures-move-between-attempts',
  detect(lines) {
    const failing = attemptsOf(lines)
      .map((attempt) => failingTests(attempt).map(baseTestName))
      .filter((names) => names.length > 0);
    const last = failing.at(-1);
    if (failing.length < 2 || !last) return [];
    const failedEveryTime = failing.flat().some((name) => failing.every((names) => names.includes(name)));
    if (failedEveryTime) return [];
    const test = last[0] ?? '';
    const lineIndex = lines.findLastIndex((line) => line.includes(test));
    return [{ signal: this.name, weight: 0.85, lineIndex: Math.max(0, lineIndex), slots: { test } }];
  },
};

const FAILED_LINE = /^\s*(?:✘|×|✕|✗)|\b(?:FAIL|FAILED|failed)\b/;

export const flakyTest: Playbook = {
  id: 'pb-test-002',
  title: 'Flaky test',
  risk: 'low',
  autoFix: 'retry',
  // Retries that rescued a test that hit a reset connection: the network was the flakiness.
  explains: ['pb-test-000', 'pb-test-001', 'pb-infra-001'],
  signals: [
    signal('flaky-summary', /^\s*\d{1,5} flaky\b|\bFlakes: [1-9]\d{0,4}|^\[WARNING\] Flakes:|Flaky Test Report|\bflaky tests? detected/i, 0.9),
    signal(
      'passed-on-retry',
      anyOf(
        [
          /(?:passed|succeeded|green)(?: only)? (?:on|after) (?:a |the )?(?:\d{1,3}(?:st|nd|rd|th)? )?(?:retry|retries|rerun|reruns|re-runs?|attempts?|tries)\b/,
          /needed (?:a |\d{1,3} )?(?:retry|retries|rerun|reruns|re-runs?) to pass|passed only (?:when|after) (?:retried|re-?run)/,
          /^DONE [2-9]\d{0,2} runs, \d{1,7} tests(?:, \d{1,7} skipped)? in /, // gotestsum --rerun-fails, all green at the end
          /^\s*Run \d{1,3}: PASS$/, // surefire rerunFailingTestsCount
          /passed \d{1,3} out of the required \d{1,3} times|failed \(\d{1,3} runs? remaining/, // pytest flaky plugin
          /RSpec::Retry: \d{1,3}(?:st|nd|rd|th) try|\bFLAKY, failed in \d{1,4} out of \d{1,4}/, // rspec-retry, Bazel
        ],
        'i',
      ),
      0.9,
    ),
    signal('pytest-rerun', /\s\d{1,5} rerun\b|^\S{1,300}::(\S{1,300}) RERUN\b/, 0.82, (m) => slotsOf({ test: m[1] })),
    signal('jest-retry', /^\s*RETRY \d{1,3}\s*$|jest\.retryTimes|retrying \(\d{1,3}\/\d{1,3}\)/, 0.8),
    // Only that retries ran: a retry that failed again says nothing about flakiness, so this alone never outweighs the failure.
    signal('test-retry-attempt', /\(Attempt \d{1,3} of \d{1,3}\)|\(retry #\d{1,3}\)|\(re-run \d{1,3}\)/i, 0.5, (m) => (FAILED_LINE.test(m.input) ? null : {})),
    // Not the plugin list (`plugins: flaky-3.7.0, rerunfailures-14.0`): that says nothing about this run.
    signal('flaky-word', /\b(?:flaky|flakey|flakiness|intermittent(?:ly)?|non-?deterministic|quarantined)\b/i, 0.72, (m) => (/^\s*plugins:/.test(m.input) ? null : {})),
    // The race detector fires only when the interleaving happens: the same test passes on other runs.
    signal('data-race', /WARNING: DATA RACE|race detected during execution of test/, 0.8),
  ],
  detectors: [failedThenPassed, failuresMoveBetweenAttempts],
  enrich: withFailingTest,
  summary: (slots) => (slots.test ? `Test \`${slots.test}\` is flaky: it fails and passes on the same code.` : 'A flaky test failed: it fails and passes on the same code.'),
  remediation: (slots) => [
    'Retry the job once: a flaky failure says nothing about this change.',
    `Open an issue to fix ${slots.test ? `\`${slots.test}\`` : 'the test'}: look for shared state between tests, ordering, real time/sleeps, randomness and network calls.`,
    'Quarantine it (skip with a linked issue) if it keeps failing other people\'s pipelines.',
  ],
};
