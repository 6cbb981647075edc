import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-test-000 genuine test failure', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['pytest assertion', gitlabJob('python:3.12', "$ pytest\ntests/test_tax.py F.\n=================================== FAILURES ===================================\n___________________________ test_vat_rounding ___________________________\n>       assert vat(10.005) == 10.01\nE       assert 10.0 == 10.01\ntests/test_tax.py:9: AssertionError\n=========================== short test summary info ============================\nFAILED tests/test_tax.py::test_vat_rounding - assert 10.0 == 10.01\n========================= 1 failed, 1 passed in 0.12s ========================="), 'tests/test_tax.py::test_vat_rounding'],
    ['jest expect', githubStep('npm test', "FAIL src/cart.test.ts\n  ● Cart › applies the discount\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: 90\n    Received: 100\n\nTests:       1 failed, 12 passed, 13 total"), 'Cart › applies the discount'],
    ['mocha + chai', jenkinsStage("+ npx mocha\n  2 passing (40ms)\n  1 failing\n\n  1) parser\n       handles quotes:\n     AssertionError: expected 'a\"b' to equal 'a\\\\\"b'"), undefined],
    ['go test', gitlabJob('golang:1.22', '$ go test ./...\n--- FAIL: TestParseDuration (0.00s)\n    duration_test.go:21: got 90s, want 1m30s\nFAIL\nFAIL\tgithub.com/acme/cfg\t0.004s'), 'TestParseDuration'],
    ['maven surefire', jenkinsStage('+ mvn -B test\n[ERROR] Tests run: 5, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s <<< FAILURE! - in com.acme.OrderTest\n[ERROR] com.acme.OrderTest.totalIncludesTax  Time elapsed: 0.01 s  <<< FAILURE!\norg.opentest4j.AssertionFailedError: expected: <110> but was: <100>\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project orders: There are test failures.'), 'com.acme.OrderTest.totalIncludesTax'],
    ['gradle', gitlabJob('gradle:8-jdk21', '$ ./gradlew test\n\nOrderTest > totalIncludesTax() FAILED\n    org.opentest4j.AssertionFailedError at OrderTest.java:31\n\n3 tests completed, 1 failed\n\n> Task :test FAILED'), 'OrderTest > totalIncludesTax()'],
    ['cargo test on Windows', githubStep('cargo test', "running 3 tests\ntest tests::parses ... FAILED\n\nfailures:\n\n---- tests::parses stdout ----\nthread 'tests::parses' panicked at src\\lib.rs:40:9:\nassertion `left == right` failed\n\ntest result: FAILED. 2 passed; 1 failed; 0 ignored"), 'tests::parses'],
    ['rspec', gitlabJob('ruby:3.3', '$ bundle exec rspec\nFailures:\n\n  1) Invoice#total sums lines\n     Failure/Error: expect(invoice.total).to eq(30)\n\n5 examples, 1 failure\n\nFailed examples:\n\nrspec ./spec/invoice_spec.rb:12 # Invoice#total sums lines'), 'Invoice#total sums lines'],
    ['dotnet test', githubStep('dotnet test', '  Failed Api.Tests.OrderTests.Total [12 ms]\n  Error Message:\n   Assert.Equal() Failure\nFailed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42'), 'Api.Tests.OrderTests.Total'],
  ];
  it.each(cases)('%s', (_name, log, test) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-000');
    if (test) expect(diagnosis.slots.test).toBe(test);
    expect(diagnosis.autoFix).toBeUndefined();
    expect(diagnosis.risk).toBe('high');
  });
});

describe('pb-test-001 test timeout', () => {
  const cases: Array<[string, string]> = [
    ['jest', githubStep('npx jest', '  ● api › retries on 503\n\n    thrown: "Exceeded timeout of 5000 ms for a test.\n    Add a timeout value to this test to increase the timeout, if this is a long-running test."\n\nTests:       1 failed, 20 passed, 21 total')],
    ['vitest', gitlabJob('node:20', '$ npx vitest run\n FAIL  src/queue.test.ts > queue > drains\nError: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".')],
    ['mocha', jenkinsStage('+ npx mocha\n  1) db\n       "before all" hook:\n     Error: Timeout of 2000ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves.')],
    ['playwright', githubStep('npx playwright test', '  1) [chromium] › login.spec.ts:5:1 › logs in ───────────\n\n    Test timeout of 30000ms exceeded.\n\n  1 failed')],
    ['pytest-timeout', gitlabJob('python:3.12', '$ pytest --timeout=60\nE       Failed: Timeout >60.0s\nFAILED tests/test_sync.py::test_full_sync - Failed: Timeout >60.0s')],
    ['go test -timeout', gitlabJob('golang:1.22', '$ go test ./...\npanic: test timed out after 10m0s\n\trunning tests:\n\t\tTestWatchReconnects (10m0s)\nFAIL\tgithub.com/acme/watch\t600.012s')],
    ['JUnit 4', jenkinsStage('+ mvn test\n[ERROR] testImport(com.acme.ImportTest)  Time elapsed: 2.003 s  <<< ERROR!\norg.junit.runners.model.TestTimedOutException: test timed out after 2000 milliseconds')],
    ['GitLab job timeout while tests ran', gitlabJob('python:3.12', '$ pytest tests/integration\n============================= test session starts ==============================\ncollected 40 items\n\ntests/integration/test_sync.py ....\nERROR: Job failed: execution took longer than 1h0m0s seconds')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-001');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it.each([
    ['xcodebuild test', 'xcodebuild test -scheme AppUITests -destination "platform=iOS Simulator,name=iPhone 15" | xcpretty', 'Test Suite AppUITests.xctest started\nSyncTests'],
    ['swift test', 'swift test --parallel', '[12/57] Testing AppTests.SyncTests/testFullSync'],
    ['flutter test', 'flutter test --coverage', '00:41 +120: test/sync_test.dart: full sync'],
  ])('a GitHub job timeout while %s runs is a hung test', (_name, run, output) => {
    const log = githubStep(run, `${output}\n##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 45 minutes.\n##[error]The operation was canceled.`);
    expect(analyzeFailure(log).playbookId).toBe('pb-test-001');
  });

  it('names the test that timed out', () => {
    const log = githubStep('npx jest', '  ● api › retries on 503\n\n    thrown: "Exceeded timeout of 5000 ms for a test.');
    expect(analyzeFailure(log).slots.test).toBe('api › retries on 503');
  });
});

describe('pb-test-002 flaky test: retried automatically', () => {
  const cases: Array<[string, string]> = [
    ['pytest-rerunfailures', gitlabJob('python:3.12', '$ pytest --reruns 3\ntests/test_ws.py::test_broadcast RERUN\ntests/test_ws.py::test_broadcast RERUN\ntests/test_ws.py::test_broadcast FAILED\nFAILED tests/test_ws.py::test_broadcast - ConnectionResetError: [Errno 104] Connection reset by peer\n=========== 1 failed, 88 passed, 2 rerun in 30.12s ===========')],
    ['playwright flaky summary', githubStep('npx playwright test', '  1 failed\n    [firefox] › cart.spec.ts:10:3 › cart › removes item\n  2 flaky\n    [chromium] › search.spec.ts:4:3 › search › suggests\n  120 passed (3.1m)')],
    ['go: failed, then passed on -count rerun', gitlabJob('golang:1.22', '$ gotestsum --rerun-fails -- ./...\n=== FAIL: pkg/cache TestEviction (0.20s)\n    cache_test.go:50: expected 0 entries, got 1\n=== PASS: pkg/cache TestEviction (re-run 1) (0.18s)\n=== FAIL: pkg/api TestCreate (0.01s)\n    api_test.go:33: status 500')],
    ['gradle test-retry: FAILED then PASSED', jenkinsStage('+ ./gradlew test\n\nSchedulerTest > firesOnTime() FAILED\n    org.opentest4j.AssertionFailedError at SchedulerTest.java:44\n\nSchedulerTest > firesOnTime() PASSED\n\nReportTest > rendersPdf() FAILED\n    java.lang.AssertionError at ReportTest.java:12')],
    ['cypress: a failed attempt, then ✓', githubStep('npx cypress run', '  checkout\n    (Attempt 1 of 3) pays with card\n    ✓ pays with card (2210ms)\n    1) refunds\n\n  1 passing\n  1 failing\n\n  1) checkout\n       refunds:\n     AssertionError: expected 200 to equal 201')],
    ['a CI guard that fails the build on retried tests (gotestsum)', gitlabJob('golang:1.22', '$ gotestsum --rerun-fails=2 --packages=./...\n=== FAIL: internal/lease TestRenew (0.30s)\n    lease_test.go:41: lease expired early\nDONE 1204 tests, 1 failure in 9.7s\n✓  internal/lease (1.1s)\nDONE 2 runs, 1205 tests in 12.1s\n$ ./ci/no-retries.sh\n1 test needed a rerun to pass: internal/lease.TestRenew')],
    ['a report of tests that passed only on retry (JUnit XML reader)', githubStep('node ci/check-retries.mjs', 'Tests that passed only after a retry:\n  Checkout > applies coupon (attempt 1: AssertionError)\n1 test passed on the 2nd attempt; retries hide real problems.')],
    ['rspec-retry', gitlabJob('ruby:3.3', '$ bundle exec rspec\nRSpec::Retry: 2nd try ./spec/features/checkout_spec.rb:40\n\n1) Checkout pays\n     Failure/Error: expect(page).to have_content("Paid")\n\n80 examples, 1 failure')],
    ['go race detector', gitlabJob('golang:1.22', '$ go test -race ./...\n==================\nWARNING: DATA RACE\nWrite at 0x00c000180000 by goroutine 8:\n==================\n--- FAIL: TestWorkerPool (0.01s)\n    testing.go:1398: race detected during execution of test\nFAIL')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-002');
    expect(diagnosis.risk).toBe('low');
  });

  it('retried and failed every time is a failure, not flakiness (Playwright timeout, cypress assertion)', () => {
    const playwright = githubStep('npx playwright test --retries=2', `
  ✘  4 [chromium] › pay.spec.ts:9:3 › pay › with saved card (30.0s)
  ✘  5 [chromium] › pay.spec.ts:9:3 › pay › with saved card (retry #1) (30.0s)
  ✘  6 [chromium] › pay.spec.ts:9:3 › pay › with saved card (retry #2) (30.0s)

  1) [chromium] › pay.spec.ts:9:3 › pay › with saved card ─────────────

    Test timeout of 30000ms exceeded.

    Retry #1 ───────────────────────────────────────────────────────────

    Test timeout of 30000ms exceeded.

  1 failed
  12 passed (2.1m)`);
    const cypress = githubStep('npx cypress run', '  checkout\n    (Attempt 1 of 3) pays with card\n    (Attempt 2 of 3) pays with card\n    1) pays with card\n\n  1 failing\n\n  1) checkout\n       pays with card:\n     AssertionError: expected \'<p.total>\' to have text \'$90.00\', but the text was \'$100.00\'');
    expect(analyzeFailure(playwright).playbookId).toBe('pb-test-001');
    expect(analyzeFailure(cypress).playbookId).toBe('pb-test-000');
  });

  it('a retried command whose failures move between attempts is flaky, even when one of them timed out', () => {
    const attempt = (failure: string, end: string): string =>
      `Build complete! (3.1s)\n[23/57] Testing RealtimeTests.SocketTests/testReconnect\n[41/57] Testing RealtimeTests.BroadcastTests/testAckTimeout\n${failure}\n\t Executed 57 tests, with 1 failure (0 unexpected) in 10.5 (10.7) seconds\n${end}`;
    const reconnect = '/Users/runner/work/rt/rt/Tests/RealtimeTests/SocketTests.swift:88: error: -[RealtimeTests.SocketTests testReconnect] : XCTAssertEqual failed: ("connecting") is not equal to ("open")';
    const ackTimeout = '/Users/runner/work/rt/rt/Tests/RealtimeTests/BroadcastTests.swift:51: error: -[RealtimeTests.BroadcastTests testAckTimeout] : Asynchronous wait failed: Exceeded timeout of 2 seconds, with unfulfilled expectations: "ack received".';
    const retried = (failures: string[]): string =>
      githubStep('nick-fields/retry@v3', failures.map((failure, index) => attempt(failure, index < failures.length - 1 ? `##[warning]Attempt ${index + 1} failed. Reason: Child_process exited with error code 1` : '##[error]Final attempt failed. Child_process exited with error code 1')).join('\n'));
    const moving = analyzeFailure(retried([reconnect, ackTimeout, reconnect]));
    expect(moving).toMatchObject({ playbookId: 'pb-test-002', slots: { test: 'RealtimeTests.SocketTests testReconnect' } });
    // The same test failing on every attempt is not flaky, whatever else moved.
    expect(analyzeFailure(retried([ackTimeout, `${ackTimeout}\n${reconnect}`, ackTimeout])).playbookId).toBe('pb-test-001');
  });

  it('a confident flaky diagnosis is auto-retried', () => {
    const log = gitlabJob('golang:1.22', '$ gotestsum --rerun-fails -- ./...\n=== FAIL: pkg/cache TestEviction (0.20s)\n=== PASS: pkg/cache TestEviction (re-run 1) (0.18s)\n=== FAIL: pkg/cache TestEviction (0.20s)\nDONE 2 runs, 40 tests, 2 failures');
    const diagnosis = analyzeFailure(log);
    expect(diagnosis).toMatchObject({ playbookId: 'pb-test-002', slots: { test: 'TestEviction' }, autoFix: { kind: 'retry', scope: 'job' } });
  });
});
