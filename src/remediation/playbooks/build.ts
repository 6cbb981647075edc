import { classifySpecifier, isLocalPythonModule, MODULE_NOT_FOUND, unresolvedImport } from './names.js';
import { MORE_BUILD_SIGNALS, xcodeFailedCommands } from './build-more.js';
import { isProjectPackage, isProjectSubmodule } from './python-modules.js';
import { anyOf, signal, slotsOf } from './signal.js';
import type { Playbook } from './types.js';

const fileAt = (file: number, line?: number) => (m: RegExpExecArray) => slotsOf({ file: m[file], line: line === undefined ? undefined : m[line] });

export const compileOrLintError: Playbook = {
  id: 'pb-build-000',
  title: "Compile, type or lint error in the project's code",
  risk: 'medium',
  explains: ['pb-test-000'],
  signals: [
    // TypeScript, both output styles; TS5xxx are tsconfig errors (configuration, not code).
    signal('tsc-error', /^(\S{1,300}?\.[cm]?tsx?)(?::(\d{1,7}):\d{1,7} - |\((\d{1,7}),\d{1,7}\): )error TS(?!5\d{3}|6\d{3}|18003)\d{4,5}:/, 0.88, (m) => slotsOf({ file: m[1], line: m[2] ?? m[3], tool: 'tsc' })),
    signal('tsc-error-bare', /\berror TS(?!5\d{3}|6\d{3}|18003)\d{4,5}:|Found [1-9]\d{0,5} errors? in \d{1,6} files?\.|Found [1-9]\d{0,5} errors?\. Watching for file changes/, 0.8, () => slotsOf({ tool: 'tsc' })),
    signal('eslint-problem', /^\s*\d{1,7}:\d{1,7}\s+error\s+\S[^\n]{0,300}$|✖ \d{1,6} problems? \([1-9]\d{0,5} errors?/, 0.84, () => slotsOf({ tool: 'eslint' })),
    signal('prettier-check', /Code style issues (?:found|were found) in|Forgot to run Prettier\?/, 0.8, () => slotsOf({ tool: 'prettier' })),
    // A path, alias or project folder that does not resolve: the file is missing, not a package.
    signal('local-module-not-found', MODULE_NOT_FOUND, 0.82, (m) => {
      const { specifier } = unresolvedImport(m);
      return classifySpecifier(specifier).kind === 'local' ? slotsOf({ module: specifier }) : null;
    }),
    // A Node builtin in a browser bundle: the bundler configuration, or code on the wrong side.
    signal('builtin-module-not-found', MODULE_NOT_FOUND, 0.6, (m) => {
      const { specifier } = unresolvedImport(m);
      return classifySpecifier(specifier).kind === 'builtin' ? slotsOf({ module: specifier }) : null;
    }),
    signal('python-syntax', /^\s*(?:SyntaxError|IndentationError|TabError): (?!.{0,200}JSON)/, 0.78, () => slotsOf({ tool: 'python' })),
    signal('python-local-import', /\bNo module named '?([\w.]{1,200})'?/, 0.78, (m, context) => {
      const module = m[1] ?? '';
      // The project's package as a whole not importable is its packaging or path (pb-env-002), not a missing file.
      if (isProjectPackage(module, context.projectPackages)) return null;
      return isLocalPythonModule(module, context.localModules) || isProjectSubmodule(module, context.projectPythonDirs) ? slotsOf({ module }) : null;
    }),
    signal('python-relative-import', /attempted relative import (?:with no known parent package|beyond top-level package)/, 0.75),
    signal('python-cannot-import-local', /ImportError: cannot import name '(\w{1,100})' from '([\w.]{1,200})'(?! \((?:unknown location|[^)]{0,400}(?:site|dist)-packages))/, 0.75, (m) => slotsOf({ module: m[2] })),
    signal(
      'python-lint',
      anyOf([
        /^(\S{1,300}\.pyi?):(\d{1,7}):\d{1,7}: (?:[A-Z]{1,3}\d{2,4}\b|error|E\d)/, // flake8, ruff, pylint
        /^Found [1-9]\d{0,5} errors?\.$|would reformat |Oh no! 💥|Imports are incorrectly sorted|Your code has been rated at/,
      ]),
      0.8,
      (m) => slotsOf({ file: m[1], line: m[2] }),
    ),
    signal('mypy-error', /^(\S{1,300}\.pyi?):(\d{1,7}): error: |^Found [1-9]\d{0,5} errors? in \d{1,6} files? \(checked/, 0.85, fileAt(1, 2)),
    signal('pyright-error', /^\s*(\S{1,300}\.pyi?):(\d{1,7}):\d{1,7} - error: /, 0.85, fileAt(1, 2)),
    // `file.go:8:2: <module>@v1: Get "https://proxy...": dial tcp` is a download failing, not the code.
    signal('go-compile', /^(?:\.\/)?(\S{1,300}\.go):(\d{1,7}):\d{1,7}: (?!warning)/, 0.8, (m) =>
      /@v\d|: Get "https?:|dial tcp|i\/o timeout/.test(m.input) ? null : slotsOf({ file: m[1], line: m[2] }),
    ),
    signal(
      'java-compile',
      anyOf([
        /COMPILATION ERROR|Compilation failure|Compilation failed\b|error: cannot find symbol/,
        /^(?:\[ERROR\] )?(\S{1,300}\.java):\[(\d{1,7}),\d{1,7}\] /, // maven
        /^(\S{1,300}\.java):(\d{1,7}): error: /, // javac, gradle
      ]),
      0.87,
      (m) => slotsOf({ file: m[1] ?? m[3], line: m[2] ?? m[4] }),
    ),
    signal('gradle-compile-task', /> Task :[\w:-]{0,200}compile\w{0,40} FAILED|Execution failed for task '[\w:-]{0,200}:compile\w{0,40}'/, 0.6),
    signal('kotlin-compile', /^e: (?:file:\/\/)?(\S{1,300}\.kts?):(\d{1,7})/, 0.87, fileAt(1, 2)),
    signal('rust-compile', /^error\[E\d{4}\]|^error: could not compile `[\w-]{1,100}`(?![^\n]{0,200}signal: 9)|^error: (?:unused|cannot find|expected|mismatched)/, 0.86),
    signal('clippy', /#\[deny\(clippy::|`-D clippy::|implied by `-D warnings`/, 0.8),
    signal('c-compile', /^(\S{1,300}\.(?:c|cc|cpp|cxx|h|hpp|m|mm)):(\d{1,7}):\d{1,7}: (?:fatal )?error: |undefined reference to `/, 0.85, fileAt(1, 2)),
    signal('link-error', /Undefined symbols for architecture|ld: symbol\(s\) not found|linker command failed with exit code|error LNK(?:2001|2019|1120)\b|unresolved external symbol/, 0.8),
    signal('dotnet-compile', /error CS\d{4}:|error BC\d{5}:|error FS\d{4}:/, 0.87),
    signal('swift-compile', /^(\S{1,300}\.swift):(\d{1,7}):\d{1,7}: error: /, 0.87, fileAt(1, 2)),
    signal('babel-syntax', /SyntaxError: (\S{1,300}\.[cm]?[jt]sx?): [^\n]{1,300}\(\d{1,7}:\d{1,7}\)/, 0.82, fileAt(1)),
    signal('bundler-module-build', /Module build failed|ERROR in \.\/\S{1,300}|\[vite:[\w-]{1,40}\] Transform failed|✘ \[ERROR\] (?!Could not resolve)/, 0.65),
    signal('php-ruby-syntax', /PHP Parse error|PHP Fatal error: {1,2}Uncaught Error: Class|syntax error, unexpected|\boffenses? detected/, 0.8),
    signal('elixir-erlang-compile', /\*\* \((?:CompileError|SyntaxError|TokenMissingError)\)/, 0.85),
    signal('frontend-compile', /\berror NG\d{4}:|svelte-check found [1-9]\d{0,5} errors?|\bvue-tsc\b[^\n]{0,100}error/, 0.85),
    signal('jvm-lint', /You have [1-9]\d{0,5} Checkstyle violations?|There (?:is|are) [1-9]\d{0,5} errors? reported by Checkstyle|The following files had format violations|PMD Failure|[1-9]\d{0,5} PMD violations?|SpotBugs [^\n]{0,60}(?:found|bugs)/, 0.8),
    signal('shellcheck-hadolint', /^In \S{1,300} line \d{1,7}:$|\bSC\d{4}\b|\bDL\d{4}\b/, 0.6),
    signal('make-error', /make(?:\[\d{1,3}\])?: \*\*\* \[[^\]]{1,300}\] Error [1-9]/, 0.25),
    ...MORE_BUILD_SIGNALS,
  ],
  detectors: [xcodeFailedCommands],
  summary(slots) {
    const what = slots.tool === 'eslint' || slots.tool === 'prettier' ? 'pass lint' : 'compile or type-check';
    const where = slots.file ? ` (\`${slots.file}\`${slots.line ? ` line ${slots.line}` : ''})` : '';
    const missing = slots.module ? `: \`${slots.module}\` cannot be found` : '';
    return `The project's code does not ${what}${where}${missing}.`;
  },
  remediation: (slots) => [
    `Run the same step locally (${slots.tool ? `\`${slots.tool}\`` : 'the build, type-check or linter'}) and fix the first error it reports; later ones often follow from it.`,
    slots.module
      ? `Check the path \`${slots.module}\`: the file may be missing from the commit, renamed, or differ in case (Linux CI is case-sensitive).`
      : 'If it passes locally, compare tool versions with the CI image and check generated files are committed.',
  ],
};
