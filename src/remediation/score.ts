import { isCiMetadata } from './ci-metadata.js';
import { PLAYBOOKS } from './playbooks/index.js';
import { projectPackages, projectPythonDirs } from './playbooks/python-modules.js';
import { anyOf } from './playbooks/signal.js';
import type { AnalysisContext, Hit, KnownPlaybookId, Playbook } from './playbooks/types.js';

/** Signals look at the start of a line; error messages are there, minified bundles are not. */
export const MAX_LINE_CHARS = 2000;
// An explaining root cause discounts its symptoms only once it is itself believable.
const EXPLAINS_FROM = 0.6;
// Each further distinct signal adds evidence, but less: they are rarely independent.
const FURTHER_SIGNAL_DISCOUNT = 0.5;

export interface PlaybookScore {
  playbook: Playbook;
  /** Evidence for this playbook alone, 0..1. */
  raw: number;
  /** After stronger root causes have discounted it. */
  score: number;
  hits: Hit[];
}

// Prefixes that wrap another tool's output: pytest's `E   `, BuildKit's `#9 41.22 `, GitHub/Azure's
// `##[error]`, docker compose's `api-1  | `, Turborepo/Nx's `@acme/web:test: `, TeamCity's `[Step 2/3] `,
// pnpm -r's `packages/web build: `, yarn foreach's `[@acme/web]: `, lerna's `@acme/web: `, Earthly's `+build | `,
// buildx's error summary `0.512 `, `kubectl logs --prefix`'s `[pod/api-1/app] `.
// Signals see the tool's own line, so `^` anchors still hold. The task part must start with a letter,
// so `app/main.py:1:8: F401` keeps its path.
const WRAPPER_PREFIX = anyOf([
  /^E {2,}|^#\d{1,4} (?:\d{1,6}\.\d{1,3} )?|^##\[(?:error|warning|group)\]/,
  /^[\w.-]{1,60} {0,20}\| /,
  /^@?[\w-]{1,60}(?:\/[\w.-]{1,60})?:[a-z][\w:-]{0,40}: /,
  /^\[Step \d{1,3}\/\d{1,3}\] /,
  /^[\w@.-]{1,60}(?:\/[\w@.-]{1,60}){1,3} [\w:-]{1,40}: |^\[@?[\w.-]{1,60}(?:\/[\w.-]{1,60})?\]: |^@[\w.-]{1,60}\/[\w.-]{1,60}: /,
  /^ {0,40}\+[\w./-]{1,60} {0,20}\| |^\d{1,5}\.\d{3} (?=\S)|^\[pod\/[\w.-]{1,100}\/[\w.-]{1,100}\] /,
]);

/** A line as signals see it: clipped, unwrapped, and blank when it only echoes titles and names (see ci-metadata). */
export const detectionView = (line: string): string => {
  const clipped = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
  const unwrapped = clipped.replace(WRAPPER_PREFIX, '');
  return isCiMetadata(unwrapped) ? '' : unwrapped;
};

// The end of a trace is where jobs fail; earlier lines are often warnings that were survived.
const recency = (index: number, count: number): number => 0.85 + 0.15 * (count <= 1 ? 1 : index / (count - 1));
// A warning was survived more often than not (`npm WARN retry`, pip's `WARNING: Retrying`, RuboCop's `Warning: unrecognized cop`).
const WARNING_LINE = /^(?:npm WARN|npm warn|warning[: ]|Warning: |WARNING:? |W: |\[WARNING\]|WARN\b)/;
const WARNING_WEIGHT = 0.75;
// What a runner does after the script failed (upload artifacts, save caches) fails for its own reasons.
const AFTER_FAILURE_START = /^(?:Uploading artifacts for failed job|Saving cache for failed job|Post job cleanup\.)/;
const AFTER_FAILURE_END = /^(?:Cleaning up (?:project directory|file based variables)|ERROR: Job failed|Finished: |(?:##\[error\])?Process completed with exit code)/;
const AFTER_FAILURE_WEIGHT = 0.5;
// A package manager retrying a download after a network error...
const NETWORK_RETRY = anyOf([
  /^WARNING: Retrying \(Retry\(total=\d/, // pip (urllib3)
  /^npm (?:WARN|warn) retry |^npm http fetch [A-Z]{3,7} \S{1,500} attempt \d{1,3} failed/,
  /There appears to be trouble with your network connection\. Retrying/, // yarn
  /^\[INFO\] Retrying request to /, // maven
  /^Retrying in \d{1,4} seconds?|Will retry in \d{1,4} seconds?/, // docker pull, curl --retry
]);
// ...and the same tools saying the install or download finished after all.
const INSTALL_SUCCEEDED = anyOf([
  /^Successfully installed |^Installed \d{1,6} packages? in /, // pip, uv
  /^(?:added|changed) \d{1,6} packages?\b|^up to date\b|^\S{0,4} {0,2}Done in [\d.]{1,10}m?s\b|Progress: resolved \d{1,7}, reused \d{1,7}, downloaded \d{1,7}, added \d{1,7}, done/, // npm, yarn (`✨  Done in`), pnpm
  /^\[INFO\] BUILD SUCCESS\b|^BUILD SUCCESSFUL\b|^Status: (?:Downloaded newer image|Image is up to date)/, // maven, gradle, docker pull
]);
// ...or giving up: pip finds no version at all once every retry to the index failed.
const INSTALL_GAVE_UP = /\(from versions: none\)|^ERROR: No matching distribution found for /;
// A retry the tool got past is not why the job failed.
const SURVIVED_RETRY_WEIGHT = 0;

type RetryFate = 'survived' | 'exhausted' | undefined;

/**
 * Per line, what became of a network retry: `survived` when the tool later succeeded, `exhausted`
 * when the next word from the tool is giving up (then it is the failure, not a warning).
 */
function retryFates(lines: readonly string[]): RetryFate[] {
  const fates: RetryFate[] = new Array<RetryFate>(lines.length).fill(undefined);
  let next: RetryFate;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? '';
    if (INSTALL_SUCCEEDED.test(line)) next = 'survived';
    else if (INSTALL_GAVE_UP.test(line)) next = next === 'survived' ? next : 'exhausted';
    else if (NETWORK_RETRY.test(line)) fates[index] = next;
  }
  return fates;
}

/** Per line, how much its evidence counts: recency, warnings, survived retries and after-failure noise. */
function lineWeights(lines: readonly string[]): number[] {
  const fates = retryFates(lines);
  let afterFailure = false;
  return lines.map((line, index) => {
    if (AFTER_FAILURE_START.test(line)) afterFailure = true;
    else if (AFTER_FAILURE_END.test(line)) afterFailure = false;
    if (fates[index] === 'survived') return SURVIVED_RETRY_WEIGHT;
    const warning = WARNING_LINE.test(line) && fates[index] !== 'exhausted' ? WARNING_WEIGHT : 1;
    return recency(index, lines.length) * warning * (afterFailure ? AFTER_FAILURE_WEIGHT : 1);
  });
}

function bestHitOnLine(playbook: Playbook, line: string, lineIndex: number, context: AnalysisContext): Hit | undefined {
  let best: Hit | undefined;
  for (const signal of playbook.signals) {
    if (best && signal.weight <= best.weight) continue;
    const match = signal.pattern.exec(line);
    if (!match) continue;
    const slots = signal.slots ? signal.slots(match, context) : {};
    if (slots === null) continue;
    best = { signal: signal.name, weight: signal.weight, lineIndex, slots };
  }
  return best;
}

function hitsFor(playbook: Playbook, lines: readonly string[], weights: readonly number[], context: AnalysisContext): Hit[] {
  const hits: Hit[] = [];
  lines.forEach((line, index) => {
    const hit = line.length < 4 ? undefined : bestHitOnLine(playbook, line, index, context);
    if (hit) hits.push(hit);
  });
  for (const detector of playbook.detectors ?? []) hits.push(...detector.detect(lines, context));
  return hits.map((hit) => ({ ...hit, weight: hit.weight * (weights[hit.lineIndex] ?? 1) })).filter((hit) => hit.weight > 0);
}

/** Noisy-OR over distinct signals (the best line of each), each further one counting for less. */
export function combine(hits: readonly Hit[]): number {
  const bestBySignal = new Map<string, number>();
  for (const hit of hits) bestBySignal.set(hit.signal, Math.max(bestBySignal.get(hit.signal) ?? 0, hit.weight));
  const weights = [...bestBySignal.values()].sort((a, b) => b - a);
  let miss = 1;
  weights.forEach((weight, rank) => {
    miss *= 1 - weight * FURTHER_SIGNAL_DISCOUNT ** rank;
  });
  return 1 - miss;
}

/** Every playbook scored against the log, best first (ties keep registry order). */
export function rankPlaybooks(lines: readonly string[], context: AnalysisContext = {}): PlaybookScore[] {
  const clipped = lines.map(detectionView);
  const weights = lineWeights(clipped);
  const known: AnalysisContext = {
    ...context,
    projectPythonDirs: context.projectPythonDirs ?? projectPythonDirs(clipped),
    projectPackages: context.projectPackages ?? projectPackages(clipped),
  };
  const scored = PLAYBOOKS.map((playbook) => {
    const hits = hitsFor(playbook, clipped, weights, known);
    return { playbook, raw: combine(hits), score: 0, hits };
  });
  const raw = new Map<KnownPlaybookId, number>(scored.map((entry) => [entry.playbook.id, entry.raw]));
  for (const entry of scored) {
    entry.score = entry.raw;
    for (const cause of PLAYBOOKS) {
      const causeScore = raw.get(cause.id) ?? 0;
      if (cause.explains?.includes(entry.playbook.id) && causeScore >= EXPLAINS_FROM) entry.score *= 1 - causeScore;
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}
