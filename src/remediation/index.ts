/**
 * Failure analysis, as the webhook, `troubleshoot` and the auto-fix executor use it:
 *
 *   const trace = cleanTrace(rawJobTrace);                 // store / show trace.text only
 *   const diagnosis = analyzeFailure(trace.text, { localModules }); // context optional
 *   if (diagnosis.autoFix) ...                              // policy already applied
 *   // or, with Claude configured:
 *   const advised = await analyzeFailureWithAdvisor(trace.text, advisor);
 */
export { cleanTrace, TRACE_TAIL_BYTES, type CleanTrace, type CleanOptions } from './clean.js';
export { analyzeFailure, analyzeTrace, type Analysis } from './analyze.js';
export {
  analyzeFailureWithAdvisor,
  adviceSchema,
  TIE_CONFIDENCE,
  type Advice,
  type AdviceOutcome,
  type AdviceRequest,
  type AdvisedDiagnosis,
  type FailureAdvisor,
} from './advisor.js';
export { AUTO_FIX_MIN_CONFIDENCE, NPM_NAME, PYPI_NAME, type AutoFix } from './autofix.js';
export { MIN_PLAYBOOK_SCORE, type Candidate, type Diagnosis, type EvidenceLine } from './diagnosis.js';
export { PLAYBOOKS, playbookById } from './playbooks/index.js';
export { PLAYBOOK_IDS, type AnalysisContext, type KnownPlaybookId, type PlaybookId, type Risk, type Slots } from './playbooks/types.js';
export { maskSecrets, MASK } from './trace/mask.js';
