import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

// Each runner prints its own summary; the family is "tests ran and some failed".
describe('pb-test-000 across test runners', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['ExUnit', gitlabJob('elixir:1.16', `$ mix test
  1) test refund/2 rejects a negative amount (Shop.PaymentsTest)
     test/shop/payments_test.exs:40
     Assertion with == failed
     code:  assert Payments.refund(order, -5) == {:error, :invalid_amount}
     left:  {:ok, %Shop.Refund{amount: -5}}
     right: {:error, :invalid_amount}
Finished in 3.1 seconds (1.2s async, 1.9s sync)
88 tests, 1 failure`), 'refund/2 rejects a negative amount'],
    ['Karma + Jasmine (Angular)', githubStep('npx ng test --watch=false --browsers=ChromeHeadless', `Chrome Headless 124.0.6367.60 (Linux x86_64) CartComponent should show the total FAILED
	Expected '$100.00' to equal '$90.00'.
	    at UserContext.<anonymous> (src/app/cart/cart.component.spec.ts:41:32)
Chrome Headless 124.0.6367.60 (Linux x86_64): Executed 212 of 212 (1 FAILED) (4.81 secs / 4.2 secs)
TOTAL: 1 FAILED, 211 SUCCESS`), undefined],
    ['node --test (TAP)', gitlabJob('node:20', `$ node --test
not ok 3 - parses quoted fields
  ---
  duration_ms: 1.2
  failureType: 'testCodeFailure'
  error: 'Expected values to be strictly equal'
  ...
1..14
# tests 14
# pass 13
# fail 1`), 'parses quoted fields'],
    ['googletest via ctest (Jenkins)', jenkinsStage(`+ ctest --test-dir build --output-on-failure
[ RUN      ] ParserTest.RejectsOverlongHeader
/var/lib/jenkins/workspace/edge/test/parser_test.cpp:88: Failure
Expected equality of these values:
  parser.state()
    Which is: 2
  State::Rejected
    Which is: 3
[  FAILED  ] ParserTest.RejectsOverlongHeader (0 ms)
[  FAILED  ] 1 test, listed below:
96% tests passed, 1 tests failed out of 24`), 'ParserTest.RejectsOverlongHeader'],
    ['XCTest (xcodebuild test)', githubStep('xcodebuild test -scheme App', `Test Case '-[AppTests.CartTests testTotalIncludesTax]' started.
/Users/runner/work/app/AppTests/CartTests.swift:31: error: -[AppTests.CartTests testTotalIncludesTax] : XCTAssertEqual failed: ("100.0") is not equal to ("110.0")
Test Case '-[AppTests.CartTests testTotalIncludesTax]' failed (0.004 seconds).
Executed 58 tests, with 1 failure (0 unexpected) in 1.204 (1.250) seconds
** TEST FAILED **`), undefined],
    ['Flutter', gitlabJob('ghcr.io/cirruslabs/flutter:3.22.0', `$ flutter test
00:04 +31 -1: /builds/app/test/cart_test.dart: Cart total includes tax [E]
  Expected: <110.0>
    Actual: <100.0>
00:05 +41 -1: Some tests failed.`), undefined],
    ['Python unittest (Django)', gitlabJob('python:3.12', `$ python manage.py test
======================================================================
FAIL: test_invoice_total (billing.tests.test_invoice.InvoiceTests.test_invoice_total)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/builds/acme/billing/billing/tests/test_invoice.py", line 22, in test_invoice_total
    self.assertEqual(invoice.total, Decimal("110.00"))
AssertionError: Decimal('100.00') != Decimal('110.00')
----------------------------------------------------------------------
Ran 64 tests in 2.114s

FAILED (failures=1)`), 'test_invoice_total'],
    ['minitest (Rails)', gitlabJob('ruby:3.3', `$ bin/rails test
Failure:
InvoiceTest#test_total_includes_tax [test/models/invoice_test.rb:12]:
Expected: 110
  Actual: 100

bin/rails test test/models/invoice_test.rb:9

Finished in 1.204s, 40.2 runs/s, 88.1 assertions/s.
48 runs, 106 assertions, 1 failures, 0 errors, 0 skips`), undefined],
    ['dotnet test, German agent (Azure)', githubStep('dotnet test', `  Fehler Api.Tests.OrderTests.Total [12 ms]
  Fehlermeldung:
   Assert.Equal() Failure: Values differ
Fehler!   – Fehler:     1, erfolgreich:    41, übersprungen:     0, gesamt:    42, Dauer: 2 s - Api.Tests.dll (net8.0)`), undefined],
    ['behave', gitlabJob('python:3.12', `$ behave
Failing scenarios:
  features/checkout.feature:12  Pay with a saved card

0 features passed, 1 failed, 0 skipped
3 scenarios passed, 1 failed, 0 skipped`), undefined],
  ];
  it.each(cases)('%s', (_name, log, test) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-test-000');
    if (test) expect(diagnosis.slots.test).toBe(test);
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('a coverage gate after green tests is not a test failure', () => {
    const log = gitlabJob('elixir:1.16', '$ mix test --cover\n88 tests, 0 failures\n\nPercentage | Module\n-----------|------\n    71.20% | Total\n\nCoverage test failed, threshold not met:\n\n    Coverage:   71.20%\n    Threshold:  80.00%');
    expect(analyzeFailure(log).playbookId).toBe('unknown');
  });
});

describe('pb-test-001: the runner or the test hit a time limit', () => {
  const cases: Array<[string, string]> = [
    ['failsafe fork timeout', gitlabJob('maven:3.9-eclipse-temurin-21', `$ mvn -B verify -Dfailsafe.forkedProcessTimeoutInSeconds=600
[INFO] Running com.acme.search.ReindexIT
[ERROR] There was a timeout in the fork
[INFO] BUILD FAILURE
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.2.5:integration-test (default) on project search: There was a timeout in the fork -> [Help 1]`)],
    ['Bazel', githubStep('bazel test //...', `//services/ledger:ledger_test                                           TIMEOUT in 300.1s
  /home/runner/.cache/bazel/_bazel_runner/execroot/_main/bazel-out/k8-fastbuild/testlogs/services/ledger/ledger_test/test.log
Executed 42 out of 42 tests: 41 tests pass and 1 fails locally.`)],
    ['ctest', jenkinsStage(`+ ctest --test-dir build --timeout 60
 7/24 Test  #7: net_reconnect_test ...............***Timeout  60.02 sec
96% tests passed, 1 tests failed out of 24`)],
    ['ExUnit', gitlabJob('elixir:1.16', `$ mix test
  1) test syncs 10k rows (Shop.SyncTest)
     test/shop/sync_test.exs:12
     ** (ExUnit.TimeoutError) test timed out after 60000ms. You can change the timeout:
88 tests, 1 failure`)],
    ['NUnit', githubStep('dotnet test', `  Failed ImportsLargeFile [30 s]
  Error Message:
   Test exceeded Timeout value of 30000ms
Failed!  - Failed:     1, Passed:    80, Skipped:     0, Total:    81`)],
    ['CircleCI no-output limit while tests ran', ['#!/bin/bash -eo pipefail', 'npx jest --runInBand', ' PASS  src/a.test.ts', 'Too long with no output (exceeded 10m0s): context deadline exceeded'].join('\n')],
  ];
  it.each(cases)('%s', (_name, log) => {
    expect(analyzeFailure(log).playbookId).toBe('pb-test-001');
  });
});
