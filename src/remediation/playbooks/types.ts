export const PLAYBOOK_IDS = [
  'pb-dep-001',
  'pb-dep-002',
  'pb-dep-003',
  'pb-env-001',
  'pb-env-002',
  'pb-test-001',
  'pb-test-002',
  'pb-test-000',
  'pb-resource-001',
  'pb-resource-002',
  'pb-infra-001',
  'pb-build-000',
  'unknown',
] as const;
export type PlaybookId = (typeof PLAYBOOK_IDS)[number];
export type KnownPlaybookId = Exclude<PlaybookId, 'unknown'>;

export type Risk = 'low' | 'medium' | 'high';
export type AutoFixKind = 'retry' | 'add-dependency';

/**
 * Values read from the log: `module`, `package`, `ecosystem`, `variable`, `test`, `file`, `tool`,
 * `command`, `detail`... Always masked text. `fixable: 'no'` withholds an auto-fix the playbook
 * would otherwise offer (e.g. a package that is not in the registry at all).
 */
export type Slots = Record<string, string>;

/** What the caller knows beyond the log; everything optional. */
export interface AnalysisContext {
  /** Top-level modules/packages of the project itself: `No module named 'billing'` is then not a PyPI package. */
  localModules?: readonly string[];
  /** Folders holding the project's own Python files; inferred from the log's tracebacks when not given. */
  projectPythonDirs?: readonly string[];
  /** The project's own top-level Python packages (lowercase); inferred from the repository name and `src/` layout when not given. */
  projectPackages?: readonly string[];
}

/** One kind of line that points at a playbook. */
export interface Signal {
  name: string;
  /** Tested against one line (at most MAX_LINE_CHARS); never global, never sticky. */
  pattern: RegExp;
  /** 0..1: how strongly this line alone says "this playbook". */
  weight: number;
  /** Slots from the match; `null` when the line only looked like this signal (e.g. a relative import). */
  slots?: (match: RegExpExecArray, context: AnalysisContext) => Slots | null;
}

export interface Hit {
  signal: string;
  weight: number;
  lineIndex: number;
  slots: Slots;
}

/** Evidence that needs more than one line (a test that failed, then passed on retry). */
export interface Detector {
  name: string;
  detect(lines: readonly string[], context: AnalysisContext): Hit[];
}

export interface Playbook {
  id: KnownPlaybookId;
  title: string;
  /** Risk of acting on this diagnosis without a human. */
  risk: Risk;
  autoFix?: AutoFixKind;
  signals: readonly Signal[];
  detectors?: readonly Detector[];
  /** Playbooks whose symptoms this root cause produces: when this one is present they weigh less. */
  explains?: readonly KnownPlaybookId[];
  /** Slots found anywhere in the log once this playbook wins (e.g. the failing test's name). */
  enrich?: (lines: readonly string[], slots: Slots) => Slots;
  summary(slots: Slots): string;
  remediation(slots: Slots): string[];
}
