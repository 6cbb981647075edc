/** Test names as each runner prints them, for the `test` slot and for flaky (fail-then-pass) detection. */

interface NamePattern {
  pattern: RegExp;
  name: (match: RegExpExecArray) => string | undefined;
}

const first = (m: RegExpExecArray): string | undefined => m[1];

const FAILED: NamePattern[] = [
  { pattern: /^(?:FAILED|ERROR) (\S{1,300}::\S{1,300})/, name: first }, // pytest summary
  { pattern: /^\S{1,300}::(\S{1,300}) (?:FAILED|RERUN)\b/, name: first }, // pytest -v
  { pattern: /^\s*● (?!Console$|Test suite failed to run)(.{1,300}? › .{1,300})$/, name: first }, // jest
  { pattern: /^\s*(?:×|✕|✗|❯|FAIL)\s+\S{1,300}\.(?:test|spec)\.[cm]?[jt]sx? > (.{1,300}?)(?: \d+ms)?$/, name: first }, // vitest
  { pattern: /^\s*(?:=== FAIL: \S{1,300} |--- FAIL: )(\w[\w/.-]{0,300})/, name: first }, // go test, gotestsum
  { pattern: /^\s*(?:✘|×)\s+\d{0,6}\s*(\[[\w-]{1,60}\] › .{1,300}?)(?: \(retry #\d+\))?(?: \([\d.]+m?s\))?$/, name: first }, // playwright
  { pattern: /^(?:\[ERROR\] )?([\w$.]{1,300}\.[\w$]{1,200})(?:\(\))?\s+(?:--\s+)?Time elapsed: [\d.,]+ s\s+<<< (?:FAILURE|ERROR)!/, name: first }, // surefire
  { pattern: /^\[ERROR\]\s+(?:Run \d{1,3}: )?([\w$]{1,200}\.[\w$]{1,200}):\d{1,7}\s/, name: first }, // surefire summary `Class.method:58 msg`
  { pattern: /^([\w$.]{1,300}) > (.{1,300}?) FAILED$/, name: (m) => `${m[1] ?? ''} > ${m[2] ?? ''}` }, // gradle
  { pattern: /^test (\S{1,300}) \.\.\. FAILED$/, name: first }, // cargo
  { pattern: /^rspec \.\/\S{1,300}:\d{1,7} # (.{1,300})$/, name: first }, // rspec
  { pattern: /^\s*Failed (\S{1,300}) \[[\d.< ]{1,20}m?s\]$/, name: first }, // dotnet test
  { pattern: /^\d{1,5}\) ([\w\\]{1,300}::\w{1,200})/, name: first }, // phpunit
  { pattern: /^\s{4,}(Test\w{1,200}) \(\d+m\d+s\)$/, name: first }, // go test timeout: "running tests:" list
  { pattern: /^\s*\(Attempt \d{1,3} of \d{1,3}\) (.{1,300})$/, name: first }, // cypress: an attempt that failed
  { pattern: /^\S{1,300}:\d{1,7}: error: -\[([\w.]{1,300} \w{1,200})\] : /, name: first }, // XCTest (swift test, xcodebuild)
];

const PASSED: NamePattern[] = [
  { pattern: /^\s*(?:=== PASS: \S{1,300} |--- PASS: )(\w[\w/.-]{0,300})/, name: first },
  { pattern: /^([\w$.]{1,300}) > (.{1,300}?) PASSED$/, name: (m) => `${m[1] ?? ''} > ${m[2] ?? ''}` },
  { pattern: /^\s*(?:✓|✔)\s+\d{0,6}\s*(\[[\w-]{1,60}\] › .{1,300}?)(?: \(retry #\d+\))?(?: \([\d.]+m?s\))?$/, name: first },
  { pattern: /^\S{1,300}::(\S{1,300}) PASSED\b/, name: first },
  { pattern: /^\s*(?:✓|✔)\s+(?!\d{1,6}\s+\[)(.{1,300}?)(?: \(\d{1,7} ?m?s\))?$/, name: first }, // mocha, cypress
];

function namesMatching(lines: readonly string[], patterns: NamePattern[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    for (const { pattern, name } of patterns) {
      const match = pattern.exec(line);
      const found = match ? name(match)?.trim() : undefined;
      if (found) {
        if (!names.includes(found)) names.push(found);
        break;
      }
    }
  }
  return names;
}

export const failingTests = (lines: readonly string[]): string[] => namesMatching(lines, FAILED);
export const passingTests = (lines: readonly string[]): string[] => namesMatching(lines, PASSED);

/** Strips retry decorations so "x (re-run 1)" and "x" are the same test. */
export const baseTestName = (name: string): string => name.replace(/\s*\((?:re-run|retry|rerun|attempt)[ #]*\d+\)\s*$/i, '').trim();
