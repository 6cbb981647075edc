import { z } from 'zod';
import { RECOVERY_ACTIONS } from '../intents/schema.js';
import type { Logger } from '../log.js';

/**
 * A second opinion on an incident (Claude, when configured). It may add a root cause and a
 * confidence; it never picks what runs: the runbook names the recovery, and a disagreement
 * turns the proposal into a request for a human to look.
 */

export interface IncidentContext {
  alarm: string;
  service?: string;
  environment?: string;
  metric?: string;
  reason: string;
  value?: number;
  threshold?: number;
  firedAt: string;
  history: string[];
  similar: string[];
  recentDeployment?: { version: string; previousVersion?: string; at: string };
  runbook: { action: string; confidence: number; rule: string; why: string };
}

export const analysisSchema = z.object({
  rootCause: z.string().trim().min(1).max(1000),
  confidence: z.number().min(0).max(1),
  action: z.enum([...RECOVERY_ACTIONS, 'investigate']).optional(),
});

export type IncidentAnalysis = z.infer<typeof analysisSchema>;

export interface IncidentAnalyst {
  /** undefined: no opinion. Whatever comes back is validated before use. */
  analyse(context: IncidentContext): Promise<IncidentAnalysis | undefined>;
}

/** Without ANTHROPIC_API_KEY there is no analyst: the runbook alone decides. */
export const offlineAnalyst: IncidentAnalyst = { analyse: async () => undefined };

/** Asks the analyst within a time limit; a failure, a timeout or a malformed answer is no opinion. */
export async function secondOpinion(analyst: IncidentAnalyst, context: IncidentContext, log: Logger, timeoutMs = 10_000): Promise<IncidentAnalysis | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = Symbol('late');
    const answer: unknown = await Promise.race([
      analyst.analyse(context),
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), timeoutMs);
        timer.unref();
      }),
    ]);
    if (answer === late) {
      log.warn({ alarm: context.alarm, timeoutMs }, 'incident analysis took too long; the runbook decides alone');
      return undefined;
    }
    if (answer === undefined) return undefined;
    const parsed = analysisSchema.safeParse(answer);
    if (!parsed.success) {
      log.warn({ alarm: context.alarm, issues: parsed.error.issues.slice(0, 3).map((issue) => issue.message) }, 'incident analysis malformed; ignored');
      return undefined;
    }
    return parsed.data;
  } catch (error) {
    log.warn({ err: error, alarm: context.alarm }, 'incident analysis failed; the runbook decides alone');
    return undefined;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
