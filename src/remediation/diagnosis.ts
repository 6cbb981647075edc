import { autoFixDecision, type AutoFix } from './autofix.js';
import { UNKNOWN } from './playbooks/index.js';
import type { Hit, PlaybookId, Risk, Slots } from './playbooks/types.js';
import { detectionView, type PlaybookScore } from './score.js';

/** Below this score no playbook is believed: the diagnosis is `unknown`. */
export const MIN_PLAYBOOK_SCORE = 0.45;
const MAX_EVIDENCE = 5;
const MAX_EVIDENCE_CHARS = 300;

export interface EvidenceLine {
  /** 1-based line number in the cleaned trace. */
  line: number;
  /** The line as cleaned: masked, no colours, clipped. */
  text: string;
  signal: string;
}

export interface Candidate {
  playbookId: PlaybookId;
  score: number;
}

export interface Diagnosis {
  playbookId: PlaybookId;
  title: string;
  /** 0..1: the winner's score less half the runner-up's; low when two causes compete. */
  confidence: number;
  risk: Risk;
  slots: Slots;
  evidence: EvidenceLine[];
  summary: string;
  remediation: string[];
  /** Set only when policy allows acting without a human. */
  autoFix?: AutoFix;
  /** A fix exists but needs approval; `autoFixWithheld` says why. */
  suggestedFix?: AutoFix;
  autoFixWithheld?: string;
  /** Best-scoring playbooks, best first (at most 4): what a tie-breaker may choose from. */
  candidates: Candidate[];
  decidedBy: 'rules' | 'advisor';
  /** The LLM's root-cause explanation, when an advisor was asked and answered validly. */
  rootCause?: string;
}

const round = (value: number): number => Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;

// `$ cmd` (GitLab), `##[group]Run cmd` (GitHub), `+ cmd` (sh -x, Jenkins), `RUN cmd` (Docker build).
const COMMAND_LINE = /^(?:\$ |##\[group\]Run |\+ |#\d{1,4} \[[^\]]{1,100}\] RUN )(\S[^\n]{0,200})/;

function commandBefore(lines: readonly string[], lineIndex: number): string | undefined {
  for (let index = Math.min(lineIndex, lines.length - 1); index >= 0; index -= 1) {
    const match = COMMAND_LINE.exec(lines[index] ?? '');
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

function evidenceOf(hits: readonly Hit[], lines: readonly string[]): EvidenceLine[] {
  const strongest = [...hits].sort((a, b) => b.weight - a.weight || a.lineIndex - b.lineIndex);
  const chosen: Hit[] = [];
  for (const hit of strongest) {
    if (chosen.length >= MAX_EVIDENCE) break;
    if (!chosen.some((other) => other.lineIndex === hit.lineIndex)) chosen.push(hit);
  }
  return chosen
    .sort((a, b) => a.lineIndex - b.lineIndex)
    .map((hit) => ({ line: hit.lineIndex + 1, text: (lines[hit.lineIndex] ?? '').trim().slice(0, MAX_EVIDENCE_CHARS), signal: hit.signal }));
}

/** The strongest hit's slots first, then whatever the others add. */
function mergeSlots(hits: readonly Hit[]): Slots {
  const slots: Slots = {};
  for (const hit of [...hits].sort((a, b) => b.weight - a.weight)) {
    for (const [key, value] of Object.entries(hit.slots)) if (!(key in slots)) slots[key] = value;
  }
  return slots;
}

export function confidenceOf(ranking: readonly PlaybookScore[], chosen: PlaybookScore): number {
  const runnerUp = ranking.find((entry) => entry !== chosen)?.score ?? 0;
  return round(chosen.score - runnerUp / 2);
}

export function candidatesOf(ranking: readonly PlaybookScore[]): Candidate[] {
  return ranking
    .filter((entry) => entry.score > 0)
    .slice(0, 4)
    .map((entry) => ({ playbookId: entry.playbook.id, score: round(entry.score) }));
}

export function unknownDiagnosis(ranking: readonly PlaybookScore[]): Diagnosis {
  const best = ranking[0]?.score ?? 0;
  return {
    playbookId: 'unknown',
    title: UNKNOWN.title,
    confidence: round(1 - best),
    risk: UNKNOWN.risk,
    slots: {},
    evidence: [],
    summary: UNKNOWN.summary,
    remediation: [...UNKNOWN.remediation],
    candidates: candidatesOf(ranking),
    decidedBy: 'rules',
  };
}

/** The diagnosis for one ranked playbook (normally the first; a tie-breaker may choose another). */
export function diagnosisFor(ranking: readonly PlaybookScore[], chosen: PlaybookScore, lines: readonly string[], decidedBy: Diagnosis['decidedBy'] = 'rules'): Diagnosis {
  const { playbook, hits } = chosen;
  let slots = mergeSlots(hits);
  if (playbook.enrich) slots = playbook.enrich(lines.map(detectionView), slots);
  const firstEvidence = Math.min(...hits.map((hit) => hit.lineIndex));
  const command = commandBefore(lines, firstEvidence);
  if (command && !slots.command) slots = { ...slots, command };
  const confidence = confidenceOf(ranking, chosen);
  const fix = autoFixDecision(playbook, slots, confidence, decidedBy === 'advisor');
  return {
    playbookId: playbook.id,
    title: playbook.title,
    confidence,
    risk: playbook.risk,
    slots,
    evidence: evidenceOf(hits, lines),
    summary: playbook.summary(slots),
    remediation: playbook.remediation(slots),
    ...(fix.autoFix ? { autoFix: fix.autoFix } : {}),
    ...(fix.suggestedFix ? { suggestedFix: fix.suggestedFix, autoFixWithheld: fix.withheld ?? '' } : {}),
    candidates: candidatesOf(ranking),
    decidedBy,
  };
}
