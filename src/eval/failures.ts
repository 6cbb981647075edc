import { z } from 'zod';
import type { Diagnosis } from '../remediation/diagnosis.js';
import { PLAYBOOK_IDS, type PlaybookId } from '../remediation/playbooks/types.js';

export const failureExampleSchema = z.object({
  id: z.string().min(1),
  category: z.enum(PLAYBOOK_IDS),
  log: z.string(),
});
export type FailureExample = z.infer<typeof failureExampleSchema>;

export interface FailureEvalRow {
  id: string;
  expected: PlaybookId;
  predicted: PlaybookId;
  confidence: number;
  correct: boolean;
  slots: Record<string, string>;
  autoFix: string | null;
  /** The first evidence line, to see at a glance why. */
  evidence: string | null;
}

export interface CategoryStats {
  total: number;
  correct: number;
  /** Recall: correct / total. */
  accuracy: number;
  predicted: number;
  precision: number;
}

export interface FailureEvalReport {
  summary: {
    total: number;
    accuracy: number;
    perCategory: Record<string, CategoryStats>;
    /** expected -> predicted -> count, misses only. */
    confusion: Record<string, Record<string, number>>;
    autoFixes: { offered: number; onWrongDiagnosis: number };
  };
  results: FailureEvalRow[];
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
const emptyStats = (): CategoryStats => ({ total: 0, correct: 0, accuracy: 0, predicted: 0, precision: 0 });

const describeFix = (diagnosis: Diagnosis): string | null => {
  const fix = diagnosis.autoFix;
  if (!fix) return null;
  return fix.kind === 'retry' ? 'retry' : `add-dependency ${fix.ecosystem}:${fix.package}`;
};

/** Classifies every example and scores it: accuracy per category (recall and precision) and a confusion summary. */
export function evaluateFailures(examples: readonly FailureExample[], classify: (log: string) => Diagnosis): FailureEvalReport {
  const results: FailureEvalRow[] = examples.map((example) => {
    const diagnosis = classify(example.log);
    return {
      id: example.id,
      expected: example.category,
      predicted: diagnosis.playbookId,
      confidence: diagnosis.confidence,
      correct: diagnosis.playbookId === example.category,
      slots: diagnosis.slots,
      autoFix: describeFix(diagnosis),
      evidence: diagnosis.evidence[0]?.text ?? null,
    };
  });
  const perCategory: Record<string, CategoryStats> = {};
  const confusion: Record<string, Record<string, number>> = {};
  for (const row of results) {
    const expected = (perCategory[row.expected] ??= emptyStats());
    expected.total += 1;
    if (row.correct) expected.correct += 1;
    (perCategory[row.predicted] ??= emptyStats()).predicted += 1;
    if (!row.correct) {
      const misses = (confusion[row.expected] ??= {});
      misses[row.predicted] = (misses[row.predicted] ?? 0) + 1;
    }
  }
  for (const stats of Object.values(perCategory)) {
    stats.accuracy = ratio(stats.correct, stats.total);
    stats.precision = ratio(stats.correct, stats.predicted);
  }
  return {
    summary: {
      total: results.length,
      accuracy: ratio(results.filter((row) => row.correct).length, results.length),
      perCategory,
      confusion,
      autoFixes: {
        offered: results.filter((row) => row.autoFix !== null).length,
        onWrongDiagnosis: results.filter((row) => row.autoFix !== null && !row.correct).length,
      },
    },
    results,
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function formatFailureReport(report: FailureEvalReport): string {
  const { summary } = report;
  const order = (a: string, b: string): number => PLAYBOOK_IDS.indexOf(a as PlaybookId) - PLAYBOOK_IDS.indexOf(b as PlaybookId);
  const lines = [
    `logs: ${summary.total}`,
    `accuracy: ${percent(summary.accuracy)}`,
    `auto-fixes offered: ${summary.autoFixes.offered} (on a wrong diagnosis: ${summary.autoFixes.onWrongDiagnosis})`,
    '',
    'category          total  correct  accuracy  precision',
    ...Object.entries(summary.perCategory)
      .sort(([a], [b]) => order(a, b))
      .map(([category, s]) =>
        `${category.padEnd(16)} ${String(s.total).padStart(6)} ${String(s.correct).padStart(8)}  ${percent(s.accuracy).padStart(8)}  ${percent(s.precision).padStart(9)}`,
      ),
  ];
  const confusions = Object.entries(summary.confusion)
    .flatMap(([expected, predicted]) => Object.entries(predicted).map(([got, count]) => ({ expected, got, count })))
    .sort((a, b) => b.count - a.count || order(a.expected, b.expected));
  if (confusions.length > 0) {
    lines.push('', 'confusions (expected -> predicted):');
    for (const { expected, got, count } of confusions) lines.push(`  ${expected} -> ${got}: ${count}`);
    lines.push('', 'misses:');
    for (const row of report.results.filter((result) => !result.correct)) {
      lines.push(`  ${row.id}: expected ${row.expected}, got ${row.predicted} (${row.confidence})${row.evidence ? ` <- ${JSON.stringify(row.evidence)}` : ''}`);
    }
  }
  return lines.join('\n');
}
