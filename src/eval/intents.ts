import { z } from 'zod';
import { INTENT_NAMES, type IntentName, type RawSlots } from '../intents/schema.js';

export const intentExampleSchema = z.object({
  text: z.string(),
  intent: z.enum(INTENT_NAMES as [IntentName, ...IntentName[]]),
  slots: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().default({}),
});
export type IntentExample = z.infer<typeof intentExampleSchema>;

export interface Prediction {
  intent: IntentName;
  slots: RawSlots;
  confidence: number;
  source: string;
}

export interface IntentEvalRow {
  text: string;
  expected: { intent: IntentName; slots: RawSlots };
  predicted: Prediction;
  intentCorrect: boolean;
  slotsCorrect: number;
  slotsExpected: number;
  exact: boolean;
}

export interface IntentEvalReport {
  summary: {
    total: number;
    intentAccuracy: number;
    slotAccuracy: number;
    exactMatch: number;
    perIntent: Record<string, { total: number; correct: number; accuracy: number; predicted: number; precision: number }>;
    perSlot: Record<string, { total: number; correct: number; accuracy: number }>;
    sources: Record<string, number>;
  };
  results: IntentEvalRow[];
}

const same = (a: unknown, b: unknown): boolean => String(a).toLowerCase() === String(b).toLowerCase();
const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);

/**
 * Intent accuracy per intent (recall) and precision; slot accuracy over every expected slot value;
 * exact match = right intent, every expected slot right, and no slot the label does not have.
 */
export async function evaluateIntents(examples: IntentExample[], recognize: (text: string) => Promise<Prediction>): Promise<IntentEvalReport> {
  const results: IntentEvalRow[] = [];
  for (const example of examples) {
    const predicted = await recognize(example.text);
    const intentCorrect = predicted.intent === example.intent;
    const expectedSlots = Object.entries(example.slots);
    const slotsCorrect = intentCorrect ? expectedSlots.filter(([slot, value]) => same(predicted.slots[slot], value)).length : 0;
    const extra = Object.keys(predicted.slots).filter((slot) => !(slot in example.slots) && predicted.slots[slot] !== undefined);
    results.push({
      text: example.text,
      expected: { intent: example.intent, slots: example.slots },
      predicted,
      intentCorrect,
      slotsCorrect,
      slotsExpected: expectedSlots.length,
      exact: intentCorrect && slotsCorrect === expectedSlots.length && extra.length === 0,
    });
  }
  const perIntent: IntentEvalReport['summary']['perIntent'] = {};
  const perSlot: IntentEvalReport['summary']['perSlot'] = {};
  const sources: Record<string, number> = {};
  for (const row of results) {
    const expected = (perIntent[row.expected.intent] ??= { total: 0, correct: 0, accuracy: 0, predicted: 0, precision: 0 });
    expected.total += 1;
    if (row.intentCorrect) expected.correct += 1;
    (perIntent[row.predicted.intent] ??= { total: 0, correct: 0, accuracy: 0, predicted: 0, precision: 0 }).predicted += 1;
    sources[row.predicted.source] = (sources[row.predicted.source] ?? 0) + 1;
    for (const [slot, value] of Object.entries(row.expected.slots)) {
      const stats = (perSlot[slot] ??= { total: 0, correct: 0, accuracy: 0 });
      stats.total += 1;
      if (row.intentCorrect && same(row.predicted.slots[slot], value)) stats.correct += 1;
    }
  }
  for (const stats of Object.values(perIntent)) {
    stats.accuracy = ratio(stats.correct, stats.total);
    stats.precision = ratio(stats.correct, stats.predicted);
  }
  for (const stats of Object.values(perSlot)) stats.accuracy = ratio(stats.correct, stats.total);
  const slotTotal = results.reduce((sum, row) => sum + row.slotsExpected, 0);
  return {
    summary: {
      total: results.length,
      intentAccuracy: ratio(results.filter((row) => row.intentCorrect).length, results.length),
      slotAccuracy: ratio(results.reduce((sum, row) => sum + row.slotsCorrect, 0), slotTotal),
      exactMatch: ratio(results.filter((row) => row.exact).length, results.length),
      perIntent,
      perSlot,
      sources,
    },
    results,
  };
}

export function formatIntentReport(report: IntentEvalReport): string {
  const { summary } = report;
  const lines = [
    `examples: ${summary.total}`,
    `intent accuracy: ${(summary.intentAccuracy * 100).toFixed(1)}%`,
    `slot accuracy: ${(summary.slotAccuracy * 100).toFixed(1)}%`,
    `exact match: ${(summary.exactMatch * 100).toFixed(1)}%`,
    '',
    'intent         total  recall  precision',
    ...Object.entries(summary.perIntent)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([intent, s]) => `${intent.padEnd(14)} ${String(s.total).padStart(5)}  ${(s.accuracy * 100).toFixed(1).padStart(5)}%  ${(s.precision * 100).toFixed(1).padStart(8)}%`),
    '',
    'slot           total  accuracy',
    ...Object.entries(summary.perSlot)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slot, s]) => `${slot.padEnd(14)} ${String(s.total).padStart(5)}  ${(s.accuracy * 100).toFixed(1).padStart(7)}%`),
  ];
  const misses = report.results.filter((row) => !row.exact);
  if (misses.length > 0) {
    lines.push('', `misses (${misses.length}):`);
    for (const row of misses) {
      lines.push(`  ${JSON.stringify(row.text)}: expected ${row.expected.intent} ${JSON.stringify(row.expected.slots)}, got ${row.predicted.intent} ${JSON.stringify(row.predicted.slots)}`);
    }
  }
  return lines.join('\n');
}
