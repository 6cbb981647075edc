import type { Link, Reply, Section, Tone } from '../../bot/reply.js';
import type { PipelineFacts } from '../fix/target.js';
import type { JobDiagnosis } from './jobs.js';
import { diagnosisSections } from './render.js';

export interface PipelineDiagnosis {
  facts: PipelineFacts;
  items: JobDiagnosis[];
  /** failed jobs beyond the ones diagnosed */
  omitted: number;
}

export interface DiagnosisReplyOptions {
  heading: string;
  tone: Tone;
  /** per job id: what happens (or could happen) about its fix */
  fixNotes?: ReadonlyMap<number, string[]>;
  context?: string[];
}

/** What went wrong in which job, why, and what to do: the body of troubleshoot answers and manual-review messages. */
export function pipelineDiagnosisReply(diagnosis: PipelineDiagnosis, options: DiagnosisReplyOptions): Reply {
  const { facts, items } = diagnosis;
  const sections: Section[] = items.flatMap((item) => {
    const notes = options.fixNotes?.get(item.job.id) ?? [];
    return [...diagnosisSections(item, { jobTitle: true }), ...(notes.length > 0 ? [{ title: 'Fix', lines: notes }] : [])];
  });
  if (diagnosis.omitted > 0) sections.push({ lines: [`${diagnosis.omitted} more failed job${diagnosis.omitted === 1 ? '' : 's'} not diagnosed here; see the pipeline.`] });
  const links: Link[] = [{ label: `Pipeline #${facts.id}`, url: facts.url }, ...items.map((item) => ({ label: `Log of ${item.job.name}`, url: item.job.url }))];
  const masked = items.reduce((sum, item) => sum + item.masked, 0);
  return {
    text: options.heading,
    tone: options.tone,
    fields: [
      { label: 'Project', value: facts.project },
      { label: 'Branch', value: facts.mergeRequestSourceBranch && facts.mergeRequestSourceBranch !== facts.ref ? `${facts.mergeRequestSourceBranch} (merge request)` : facts.ref },
      { label: 'Pipeline', value: `#${facts.id} at ${facts.sha.slice(0, 8)}` },
    ],
    sections,
    links,
    context: [...(masked > 0 ? [`${masked} secret${masked === 1 ? ' was' : 's were'} masked in the logs before analysis.`] : []), ...(options.context ?? [])],
  };
}

/** "failed: Missing Python package", or "failed in 2 jobs". */
export function failureHeadline(items: readonly JobDiagnosis[]): string {
  if (items.length === 1) return `failed: ${items[0]!.diagnosis.title}`;
  const titles = [...new Set(items.map((item) => item.diagnosis.title))];
  return titles.length === 1 ? `failed in ${items.length} jobs: ${titles[0]}` : `failed in ${items.length} jobs`;
}
