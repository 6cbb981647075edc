import { describeFix } from '../../actions/diagnose/render.js';
import { pipelineDiagnosisReply, type PipelineDiagnosis } from '../../actions/diagnose/reply.js';
import type { JobDiagnosis } from '../../actions/diagnose/jobs.js';
import { callLine } from '../../actions/render.js';
import type { FixTarget } from '../../actions/fix/target.js';
import { fixCalls } from '../../actions/fix/plan.js';
import type { Reply } from '../../bot/reply.js';

/** "Manual review needed": the diagnosis of one failed job, its suggested steps, and what became of its fix. */
export function manualReview(diagnosis: PipelineDiagnosis, item: JobDiagnosis, fixNotes: string[], correlationId: string): Reply {
  const { facts } = diagnosis;
  return pipelineDiagnosisReply(
    { ...diagnosis, items: [item] },
    {
      heading: `*Manual review needed: ${facts.service} pipeline #${facts.id} failed in job ${item.job.name}: ${item.diagnosis.title}*`,
      tone: 'warning',
      fixNotes: new Map([[item.job.id, fixNotes]]),
      context: [`Diagnosed by aiops when GitLab reported the failure · ref ${correlationId}`],
    },
  );
}

/** What a fix would have done in dry-run: the exact calls, and that nothing was changed. */
export function dryRunNotes(target: FixTarget, gitlabUrl: string | undefined): string[] {
  return [
    `The auto-fix policy would ${describeFix(target.fix)}; dry-run (AIOPS_DRY_RUN=true), so nothing was changed. It would call:`,
    ...fixCalls(target).map((call) => callLine(call, { gitlabUrl })),
  ];
}

/** Without GitLab credentials the logs cannot be read: say so, and what would have been read. */
export function unreadable(facts: PipelineDiagnosis['facts'], jobs: ReadonlyArray<{ id: number; name: string }>, gitlabUrl: string | undefined, correlationId: string): Reply {
  const base = `${gitlabUrl ?? 'https://gitlab.example.com'}/api/v4/projects/${encodeURIComponent(facts.project)}`;
  return {
    text: `*Manual review needed: ${facts.service} pipeline #${facts.id} failed in ${jobs.map((job) => job.name).join(', ')}*`,
    tone: 'warning',
    fields: [
      { label: 'Project', value: facts.project },
      { label: 'Branch', value: facts.ref },
    ],
    sections: [{ title: 'Not diagnosed: GitLab is not configured (set GITLAB_URL and GITLAB_TOKEN). It would read', lines: jobs.map((job) => `GET ${base}/jobs/${job.id}/trace`) }],
    links: [{ label: `Pipeline #${facts.id}`, url: facts.url }],
    context: [`ref ${correlationId}`],
  };
}
