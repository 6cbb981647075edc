import { isDevDependency } from './playbooks/names.js';
import type { Playbook, Slots } from './playbooks/types.js';

export type AutoFix =
  | { kind: 'retry'; scope: 'job' }
  | {
      kind: 'add-dependency';
      ecosystem: 'pypi';
      package: string;
      /** The import that failed, when it differs from the distribution name (`yaml` -> `PyYAML`). */
      module?: string;
      /** Where to add it, in order of preference; edit the first the project has. */
      manifests: readonly ['requirements.txt', 'pyproject.toml'];
    }
  | { kind: 'add-dependency'; ecosystem: 'npm'; package: string; dev: boolean; manifests: readonly ['package.json'] };

/** Below this confidence a fix is only suggested, never applied alone. */
export const AUTO_FIX_MIN_CONFIDENCE = 0.6;

export const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
export const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]{0,100}\/)?[a-z0-9][a-z0-9._-]{0,213}$/;

/**
 * The fix a playbook offers for these slots, if any. Not a decision to apply it: see `autoFixDecision`.
 * The executor must still check the manifest: a package it already lists means the install step is wrong, not the manifest.
 */
export function fixFor(playbook: Playbook, slots: Slots): AutoFix | undefined {
  if (!playbook.autoFix || slots.fixable === 'no') return undefined;
  if (playbook.autoFix === 'retry') return { kind: 'retry', scope: 'job' };
  const pkg = slots.package;
  if (!pkg) return undefined;
  if (slots.ecosystem === 'pypi' && PYPI_NAME.test(pkg)) {
    return { kind: 'add-dependency', ecosystem: 'pypi', package: pkg, ...(slots.module && slots.module !== pkg ? { module: slots.module } : {}), manifests: ['requirements.txt', 'pyproject.toml'] };
  }
  if (slots.ecosystem === 'npm' && NPM_NAME.test(pkg)) {
    const dev = slots.dev === 'yes' || isDevDependency(pkg, slots.importer);
    return { kind: 'add-dependency', ecosystem: 'npm', package: pkg, dev, manifests: ['package.json'] };
  }
  return undefined;
}

export interface AutoFixDecision {
  autoFix?: AutoFix;
  /** A fix exists but policy did not apply it alone: offer it for approval. */
  suggestedFix?: AutoFix;
  withheld?: string;
}

/** Policy: only low-risk playbooks, with a fix, on a confident rules-based match. */
export function autoFixDecision(playbook: Playbook, slots: Slots, confidence: number, decidedByAdvisor: boolean): AutoFixDecision {
  const fix = fixFor(playbook, slots);
  if (!fix) return {};
  if (playbook.risk !== 'low') return { suggestedFix: fix, withheld: `${playbook.id} is ${playbook.risk} risk` };
  if (decidedByAdvisor) return { suggestedFix: fix, withheld: 'the LLM chose this playbook; the rules alone were not sure' };
  if (confidence < AUTO_FIX_MIN_CONFIDENCE) return { suggestedFix: fix, withheld: `confidence ${confidence} is below ${AUTO_FIX_MIN_CONFIDENCE}` };
  return { autoFix: fix };
}
