import type { Section } from '../../bot/reply.js';
import type { AutoFix, Diagnosis } from '../../remediation/index.js';
import type { JobDiagnosis } from './jobs.js';

const MAX_EVIDENCE_LINE = 200;

/** What a fix does, in a few words: "retry the job", "add requests to requirements.txt or pyproject.toml". */
export function describeFix(fix: AutoFix): string {
  if (fix.kind === 'retry') return 'retry the job';
  const where = fix.ecosystem === 'npm' ? `package.json${fix.dev ? ' (devDependencies)' : ''}` : fix.manifests.join(' or ');
  return `add ${fix.package} to ${where} in a merge request`;
}

export function confidenceLine(diagnosis: Diagnosis): string {
  const who = diagnosis.decidedBy === 'advisor' ? '; Claude chose between close candidates' : '';
  return `${diagnosis.playbookId}, confidence ${diagnosis.confidence.toFixed(2)}${who}`;
}

/** The diagnosis of one job as sections: what and why, the evidence lines, the steps. */
export function diagnosisSections(item: JobDiagnosis, options: { jobTitle: boolean }): Section[] {
  const { job, diagnosis } = item;
  const heading = options.jobTitle ? `Job ${job.name} (${job.stage}): ${diagnosis.title}` : diagnosis.title;
  const why = [
    diagnosis.summary,
    ...(diagnosis.rootCause ? [`Root cause (Claude): ${diagnosis.rootCause}`] : []),
    `Diagnosis: ${confidenceLine(diagnosis)}`,
    ...(job.failureReason && job.failureReason !== 'script_failure' ? [`GitLab says: ${job.failureReason.replace(/_/g, ' ')}`] : []),
    ...(item.truncated ? ['Read the last 64 KB of the log.'] : []),
  ];
  const sections: Section[] = [{ title: heading, lines: why }];
  if (diagnosis.evidence.length > 0) {
    sections.push({ title: 'Evidence', lines: diagnosis.evidence.map((line) => `line ${line.line}: ${line.text.slice(0, MAX_EVIDENCE_LINE)}`) });
  }
  if (diagnosis.remediation.length > 0) {
    sections.push({ title: 'Suggested steps', lines: diagnosis.remediation.map((step, index) => `${index + 1}. ${step}`) });
  }
  return sections;
}
