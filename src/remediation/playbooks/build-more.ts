import { anyOf, signal, slotsOf } from './signal.js';
import type { Detector, Signal } from './types.js';

/** `error` as localized compilers print it (gcc, clang, javac, tsc under de/fr/es/it/pt/pl/ru/ja/zh/cs/hu/nl/tr locales). */
const LOCALIZED_ERROR = '(?:Fehler|erreur(?: fatale)?|errore(?: fatale)?|erro(?: fatal)?|error fatal|błąd|ошибка|エラー|错误|錯誤|chyba|hiba|fout|hata)';
const ANY_ERROR = `(?:error|${LOCALIZED_ERROR})`;
const FATAL = '(?:fatal |schwerwiegender |фатальная |致命的)?';

const fileLine = (m: RegExpExecArray) => slotsOf({ file: m[1], line: m[2] });

/** Compilers and linters beyond the common ones, and localized output. */
export const MORE_BUILD_SIGNALS: readonly Signal[] = [
  // `file.cpp:142:9: Fehler: »x« wurde nicht definiert`, `Main.java:12: Fehler: Symbol nicht gefunden`, GHC, Zig, CUDA...
  signal(
    'localized-compile-error',
    new RegExp(
      `^(\\S{1,300}\\.(?:c|cc|cpp|cxx|h|hh|hpp|m|mm|java)):(\\d{1,7}):(?:\\d{1,7}:)? ${FATAL}${LOCALIZED_ERROR} ?[:：]` +
        `|^(\\S{1,300}\\.(?:hs|zig|nim|cu|f90|ml|cr|d)):(\\d{1,7}):(?:\\d{1,7}:)? ${FATAL}${ANY_ERROR} ?[:：]`,
    ),
    0.85,
    (m) => slotsOf({ file: m[1] ?? m[3], line: m[2] ?? m[4] }),
  ),
  signal('localized-tsc-error', new RegExp(`(?:\\.[cm]?tsx?(?::\\d{1,7}:\\d{1,7} - |\\(\\d{1,7},\\d{1,7}\\): ))${LOCALIZED_ERROR} TS(?!5\\d{3}|6\\d{3}|18003)\\d{4,5}:`), 0.85, () => slotsOf({ tool: 'tsc' })),
  signal('localized-make-error', new RegExp(`make(?:\\[\\d{1,3}\\])?: \\*\\*\\* \\[[^\\]]{1,300}\\] ${LOCALIZED_ERROR} [1-9]`), 0.25),
  // Xcode through xcpretty/xcbeautify (`❌ path.swift:57:34: msg`), and its own summary.
  signal('xcode-pretty-error', /^\s*❌\s+(\S{1,300}\.(?:swift|m|mm|c|cpp|h)):(\d{1,7}):\d{1,7}: /, 0.85, fileLine),
  signal('xcode-build-failed', /^\*\* (?:TEST )?BUILD FAILED \*\*$|^\*\* ARCHIVE FAILED \*\*$/, 0.4),
  signal('scala-compile', /^\[error\] (\S{1,300}\.scala):(\d{1,7}):(?:\d{1,7}:)? |^\[error\] -- \[E\d{3}\] [\w ]{1,60}Error: (\S{1,300}\.scala):(\d{1,7})/, 0.86, (m) =>
    slotsOf({ file: m[1] ?? m[3], line: m[2] ?? m[4] }),
  ),
  signal('dart-compile', /^(\S{1,300}\.dart):(\d{1,7}):\d{1,7}: Error: |^\s*error • [^•\n]{1,300} • (\S{1,300}\.dart):(\d{1,7})/, 0.86, (m) => slotsOf({ file: m[1] ?? m[3], line: m[2] ?? m[4] })),
  signal('android-resource', /AAPT: error: |Android resource linking failed/, 0.8),
  signal(
    'more-lint-errors',
    anyOf([
      /\[Error\/[\w@/-]{1,100}\]$/, // eslint -f unix
      /^\s*\[ERROR\] Found [1-9]\d{0,5} errors?$/, // PHPStan
      /^Found \d{1,6} warnings? and [1-9]\d{0,5} errors?\b|^Found [1-9]\d{0,5} problems?$/, // oxlint, deno lint
      /^\s*--> (\S{1,300}\.pyi?):\d{1,7}:\d{1,7}$/, // ruff's full output format
      /Compilation failed due to warnings while using the --warnings-as-errors option/, // mix
    ]),
    0.78,
  ),
  signal('dotnet-analyzer', /error (?:IDE|CA|SA|RCS|S)\d{4}:/, 0.84),
  signal('next-type-error', /^Type error: |^Failed to compile\.$|\bTS\d{4} \[ERROR\]/, 0.7),
];

const XCODE_COMPILE_STEP = /^\s+(?:SwiftCompile|CompileSwift|CompileSwiftSources|SwiftEmitModule|CompileC|CompileXIB|CompileStoryboard|Ld) /;

/** Xcode's closing list names the build commands that failed: compile steps mean the code. */
export const xcodeFailedCommands: Detector = {
  name: 'xcode-failed-compile-step',
  detect(lines) {
    const header = lines.findIndex((line) => line.startsWith('The following build commands failed:'));
    if (header === -1) return [];
    const step = lines.slice(header + 1, header + 6).findIndex((line) => XCODE_COMPILE_STEP.test(line));
    return step === -1 ? [] : [{ signal: this.name, weight: 0.8, lineIndex: header + 1 + step, slots: { tool: 'xcodebuild' } }];
  },
};
