import { anyOf, signal, slotsOf } from './signal.js';
import { withFailingTest } from './tests.js';
import type { Playbook } from './types.js';

const testName = (index: number) => (m: RegExpExecArray) => slotsOf({ test: m[index] });

export const testFailure: Playbook = {
  id: 'pb-test-000',
  title: 'Test failure',
  risk: 'high',
  signals: [
    signal('pytest-failed', /^(?:FAILED|ERROR) (\S{1,300}::\S{1,300})/, 0.75, testName(1)),
    signal('pytest-summary', /^=+ [^\n]{0,200}?\b\d{1,6} (?:failed|errors?)\b[^\n]{0,200}? in [\d.]{1,12}s/, 0.7),
    signal('unittest-failed', /^FAILED \((?:failures|errors)=\d{1,6}|^(?:FAIL|ERROR): (test\w{0,200}) \([\w.]{1,300}\)/, 0.7, testName(1)),
    signal('assertion-error', /\bAssertionError\b|\bAssertionFailedError\b|\bComparisonFailure\b|\bAssertion(?:Error|Failed)Exception\b|assertion [`'"]?left == right[`'"]? failed|assertion failed: |Assert\.\w{1,40}\(\) Failure/, 0.72),
    // Other runners' assertion messages: PHPUnit, XCTest, googletest, Spock, JUnit 4/Kotest, testify, ExUnit, NUnit.
    signal(
      'assertion-message',
      anyOf([
        /Failed asserting that|XCTAssert\w{0,30} failed|Expected equality of these values:|Condition not satisfied:/,
        /expected:? ?<[^>\n]{0,200}> but was:? ?<|^\s*Error:\s+Not equal:|Assertion with \S{1,4} failed|match \(=\) failed/,
        /^\s*But was: {1,3}\S/,
      ]),
      0.62,
    ),
    signal('expect-received', /expect\(received\)\.|expect\((?:locator|page)\)\.\w{1,40}\(\) failed|AssertionError: expected [^\n]{1,300}? to /, 0.7),
    signal('jest-summary', /^\s*Tests:\s+\d{1,6} failed|^\s*Test Files\s+\d{1,6} failed|^\s*Test Suites:\s+\d{1,6} failed/, 0.7),
    signal('jest-fail-file', /^\s*FAIL\s+\S{1,300}\.(?:test|spec)\.[cm]?[jt]sx?\b/, 0.62),
    signal('snapshot-failed', /\d{1,5} snapshots? failed/, 0.75),
    signal('mocha-failing', /^\s*\d{1,6} failing\s*$/, 0.7),
    signal('go-fail', /^\s*--- FAIL: (\w[\w/.-]{0,300})/, 0.72, testName(1)),
    signal('go-fail-package', /^FAIL\s+\S{1,300}\s+[\d.]{1,10}s$/, 0.55),
    signal('surefire-failures', /Tests run: \d{1,6}, Failures: [1-9]\d{0,5}|Tests run: \d{1,6}, Failures: \d{1,6}, Errors: [1-9]|<<< (?:FAILURE|ERROR)!|There are test failures/, 0.7),
    signal('gradle-failed-tests', /^([\w$.]{1,300} > .{1,300}?) FAILED$|There were failing tests|\d{1,6} tests completed, \d{1,6} failed/, 0.7, (m) => slotsOf({ test: m[1] })),
    signal('cargo-test-failed', /^test result: FAILED\b|^test (\S{1,300}) \.\.\. FAILED$|error: test failed, to rerun pass/, 0.7, testName(1)),
    signal('rspec-failures', /\d{1,6} examples?, [1-9]\d{0,5} failures?|^rspec \.\/\S{1,300}:\d{1,7} # /, 0.7),
    signal('phpunit-failures', /^FAILURES!$|^Tests: \d{1,6}, Assertions: \d{1,6}, (?:Failures|Errors): \d{1,6}/, 0.7),
    // dotnet test in English, German, Spanish and French.
    signal(
      'dotnet-test-failed',
      /^\s*(?:Failed!|Fehler!|¡Con errores!|Échec!)\s+[-–]\s+(?:Failed|Fehler|Con errores|Échec)\s?:\s+[1-9]|^\s*Failed \S{1,300} \[[\d.< ]{1,20}m?s\]$/,
      0.7,
    ),
    signal('rust-panicked', /^thread '[^']{1,300}' panicked at/, 0.5),
    // ExUnit, Jasmine, minitest, Catch2, busted: "N tests, M failures" and kin.
    signal(
      'runner-failure-count',
      anyOf([
        /^\d{1,6} (?:doctests?, )?(?:\d{1,6} propert(?:y|ies), )?\d{1,6} tests?, [1-9]\d{0,5} failures?\b/, // ExUnit
        /^\d{1,6} specs?, [1-9]\d{0,5} failures?\b/, // Jasmine
        /\d{1,6} runs, \d{1,7} assertions, (?:[1-9]\d{0,5} failures, \d{1,6}|\d{1,6} failures, [1-9]\d{0,5}) errors/, // minitest
        /^test cases:\s+\d{1,6} \|\s+\d{1,6} passed \|\s+[1-9]\d{0,5} failed/, // Catch2
        /^\d{1,6} success(?:es)? \/ [1-9]\d{0,5} failures? \/ \d{1,6} errors?/, // busted
        /^(?:[1-9]\d{0,5} failures, \d{1,6}|\d{1,6} failures, [1-9]\d{0,5}) errors\.$/, // clojure.test
      ]),
      0.7,
    ),
    signal(
      'runner-failed-summary',
      anyOf([
        /Executed \d{1,6} of \d{1,6} \(?[^)\n]{0,40}?[1-9]\d{0,5} FAILED|^TOTAL: [1-9]\d{0,5} FAILED/, // Karma
        /^# fail [1-9]\d{0,5}$|^ℹ fail [1-9]\d{0,5}$/, // TAP, node --test
        /^\[ {2}FAILED {2}\] [1-9]\d{0,5} tests?, listed below|^\d{1,3}% tests passed, [1-9]\d{0,5} tests? failed out of \d{1,6}/, // googletest, ctest
        /Executed \d{1,6} tests?, with [1-9]\d{0,5} failures?|^\*\* TEST FAILED \*\*|Test run with \d{1,6} tests? failed/, // XCTest, Swift Testing
        /^\d\d:\d\d \+\d{1,6}(?: ~\d{1,6})? -[1-9]\d{0,5}: Some tests failed|^Some tests failed\.$/, // dart, flutter
        /FAILED \| \d{1,6} passed(?: \(\d{1,6} steps?\))? \| [1-9]\d{0,5} failed|^\s*[1-9]\d{0,5} fail$/, // Deno, Bun
        /^\s*[1-9]\d{0,5} tests? failed$|^Result: FAIL$|Failed \d{1,6}\/\d{1,6} (?:subtests|test programs)/, // AVA, prove
        /\d{1,6} scenarios? \((?:\d{1,6} passed, )?[1-9]\d{0,5} failed|\d{1,6} scenarios? passed, [1-9]\d{0,5} failed/, // cucumber, behave
        /^\d{1,6} tests?, \d{1,6} passed, [1-9]\d{0,5} failed|\*\*\* [1-9]\d{0,5} TESTS? FAILED \*\*\*|\bsbt\.TestsFailedException\b/, // Robot, ScalaTest, sbt
        /\[ FAIL [1-9]\d{0,5} \| WARN \d{1,6} \| SKIP \d{1,6} \| PASS \d{1,6} \]|Some tests did not pass: \d{1,6} passed, [1-9]\d{0,5} failed/, // testthat, Julia
        /Tests Passed: \d{1,6}, Failed: [1-9]|Test Count: \d{1,6}, Passed: \d{1,6}, Failed: [1-9]|[1-9]\d{0,5} out of \d{1,6} tests failed/, // Pester, NUnit, tasty
        /^\/\/\S{1,300}\s+FAILED in (?:\d|cached)|^TEST RUN FAILED$/, // Bazel, elm-test
      ]),
      0.7,
    ),
    signal(
      'runner-failed-test',
      anyOf([
        /^\[ {2}FAILED {2}\] (\w[\w./]{0,300})(?: \(\d{1,7} ms\))?$/, // googletest
        /^Test Case '-?\[?([^'\]]{1,300})\]?' failed/, // XCTest
        /^\s*\d{1,4}\) test (.{1,300}) \(([\w.]{1,200})\)$/, // ExUnit
        /^not ok \d{1,6} - (.{1,300})$/, // TAP
        /^\s*\d{1,6} - (\S.{0,300}) \(Failed\)$/, // ctest
      ]),
      0.62,
      (m) => slotsOf({ test: m[1] ?? m[2] ?? m[3] ?? m[5] ?? m[6] }),
    ),
  ],
  enrich: withFailingTest,
  summary: (slots) => (slots.test ? `Test \`${slots.test}\` fails: the code and the test disagree.` : 'Tests fail: the code and the tests disagree.'),
  remediation: (slots) => [
    `Reproduce locally: run ${slots.test ? `\`${slots.test}\`` : 'the failing test'} on this commit.`,
    'Read the assertion: decide whether the change broke behaviour (fix the code) or the test encodes the old behaviour (update the test, or the snapshot on purpose).',
    'If it passes on a rerun without changes, it is flaky: treat it as such.',
  ],
};
