import { cleanTrace } from './clean.js';
import { diagnosisFor, MIN_PLAYBOOK_SCORE, unknownDiagnosis, type Diagnosis } from './diagnosis.js';
import type { AnalysisContext } from './playbooks/types.js';
import { rankPlaybooks, type PlaybookScore } from './score.js';

export interface Analysis {
  diagnosis: Diagnosis;
  ranking: PlaybookScore[];
  lines: string[];
}

/** The full working: cleaned lines and every playbook's score, for the advisor and for debugging. */
export function analyzeTrace(log: string, context: AnalysisContext = {}): Analysis {
  const lines = cleanTrace(log).text.split('\n');
  const ranking = rankPlaybooks(lines, context);
  const best = ranking[0];
  const diagnosis = best && best.score >= MIN_PLAYBOOK_SCORE ? diagnosisFor(ranking, best, lines) : unknownDiagnosis(ranking);
  return { diagnosis, ranking, lines };
}

/**
 * Why a CI job failed, from its log alone: deterministic, offline, fast. Accepts a raw trace or a
 * cleaned one (it cleans again; cleaning is idempotent), so evidence and slots are always masked.
 */
export function analyzeFailure(log: string, context: AnalysisContext = {}): Diagnosis {
  return analyzeTrace(log, context).diagnosis;
}
