import { z } from 'zod';
import { analyzeTrace } from './analyze.js';
import { diagnosisFor, unknownDiagnosis, type Diagnosis, type EvidenceLine } from './diagnosis.js';
import { playbookById, UNKNOWN } from './playbooks/index.js';
import { PLAYBOOK_IDS, type AnalysisContext, type PlaybookId } from './playbooks/types.js';
import { maskSecrets } from './trace/mask.js';

/** Below this rules confidence (or when the rules say `unknown`) the advisor may pick another candidate. */
export const TIE_CONFIDENCE = 0.5;
// Candidates the advisor may choose: playbooks with at least this much evidence.
const CANDIDATE_MIN_SCORE = 0.2;
// The end of the cleaned trace: enough for a model to read the failure, bounded for cost.
const ADVISOR_LOG_CHARS = 16_000;

export interface AdviceRequest {
  /** The end of the cleaned, masked trace; never the raw one. */
  log: string;
  rules: { playbookId: PlaybookId; confidence: number; summary: string; evidence: EvidenceLine[] };
  /** What the advisor may answer with; anything else is ignored. */
  choices: Array<{ playbookId: PlaybookId; title: string; score: number }>;
}

/**
 * The seam for an LLM (Claude, through src/integrations): it explains the root cause and may break
 * a tie between candidates. Its answer is untrusted: validated with `adviceSchema`, never allowed
 * to enable an auto-fix.
 */
export interface FailureAdvisor {
  advise(request: AdviceRequest): Promise<unknown>;
}

export const adviceSchema = z.object({
  playbookId: z.enum(PLAYBOOK_IDS),
  rootCause: z.string().trim().min(1).max(1500),
  confidence: z.number().min(0).max(1),
});
export type Advice = z.infer<typeof adviceSchema>;

export type AdviceOutcome =
  | { status: 'agreed' | 'tie-broken' }
  /** The advisor chose something the rules were sure against, or outside the choices. */
  | { status: 'overruled'; reason: string }
  | { status: 'invalid' | 'failed'; reason: string };

export interface AdvisedDiagnosis extends Diagnosis {
  advice: AdviceOutcome;
}

const titleOf = (id: PlaybookId): string => (id === 'unknown' ? UNKNOWN.title : playbookById(id).title);

async function askAdvisor(advisor: FailureAdvisor, request: AdviceRequest): Promise<Advice | AdviceOutcome> {
  let answer: unknown;
  try {
    answer = await advisor.advise(request);
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.name : 'advisor error' };
  }
  const parsed = adviceSchema.safeParse(answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'invalid', reason: `${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'invalid'}` };
  }
  return parsed.data;
}

/**
 * `analyzeFailure` plus an advisor: the rules decide; the advisor adds a root-cause explanation when
 * it agrees, and chooses between close candidates when the rules could not. Any failure of the
 * advisor (error, timeout, malformed answer) leaves the rules' diagnosis as it was.
 */
export async function analyzeFailureWithAdvisor(log: string, advisor: FailureAdvisor, context: AnalysisContext = {}): Promise<AdvisedDiagnosis> {
  const { diagnosis, ranking, lines } = analyzeTrace(log, context);
  const candidates = ranking.filter((entry) => entry.score >= CANDIDATE_MIN_SCORE).slice(0, 4);
  const choiceIds = new Set<PlaybookId>([diagnosis.playbookId, ...candidates.map((entry) => entry.playbook.id), 'unknown']);
  const request: AdviceRequest = {
    log: lines.join('\n').slice(-ADVISOR_LOG_CHARS),
    rules: { playbookId: diagnosis.playbookId, confidence: diagnosis.confidence, summary: diagnosis.summary, evidence: diagnosis.evidence },
    choices: [...choiceIds].map((playbookId) => ({ playbookId, title: titleOf(playbookId), score: ranking.find((entry) => entry.playbook.id === playbookId)?.score ?? 0 })),
  };
  const advice = await askAdvisor(advisor, request);
  if ('status' in advice) return { ...diagnosis, advice };
  const rootCause = maskSecrets(advice.rootCause).text;
  if (advice.playbookId === diagnosis.playbookId) return { ...diagnosis, rootCause, advice: { status: 'agreed' } };
  const rulesUnsure = diagnosis.playbookId === 'unknown' || diagnosis.confidence < TIE_CONFIDENCE;
  if (!rulesUnsure || !choiceIds.has(advice.playbookId)) {
    const reason = rulesUnsure ? `${advice.playbookId} is not among the candidates` : `the rules are confident (${diagnosis.confidence}) in ${diagnosis.playbookId}`;
    return { ...diagnosis, advice: { status: 'overruled', reason } };
  }
  const chosen = ranking.find((entry) => entry.playbook.id === advice.playbookId);
  const broken = chosen ? diagnosisFor(ranking, chosen, lines, 'advisor') : { ...unknownDiagnosis(ranking), decidedBy: 'advisor' as const };
  return { ...broken, rootCause, advice: { status: 'tie-broken' } };
}
