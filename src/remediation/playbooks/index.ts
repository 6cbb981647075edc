import { dependencyConflict } from './dependency-conflict.js';
import { missingNpmPackage } from './dependency-node.js';
import { missingPythonPackage } from './dependency-python.js';
import { compileOrLintError } from './build.js';
import { invalidConfiguration } from './configuration.js';
import { missingVariable } from './environment.js';
import { transientNetworkFailure } from './infrastructure.js';
import { diskFull, outOfMemory } from './resources.js';
import { testFailure } from './test-failure.js';
import { flakyTest, testTimeout } from './tests.js';
import type { KnownPlaybookId, Playbook, Risk } from './types.js';

export const PLAYBOOKS: readonly Playbook[] = [
  missingPythonPackage,
  missingNpmPackage,
  dependencyConflict,
  missingVariable,
  invalidConfiguration,
  testTimeout,
  flakyTest,
  testFailure,
  outOfMemory,
  diskFull,
  transientNetworkFailure,
  compileOrLintError,
];

const BY_ID = new Map<KnownPlaybookId, Playbook>(PLAYBOOKS.map((playbook) => [playbook.id, playbook]));

export function playbookById(id: KnownPlaybookId): Playbook {
  const playbook = BY_ID.get(id);
  if (!playbook) throw new Error(`no playbook ${id}`);
  return playbook;
}

/** The diagnosis when no playbook matches with confidence: a human reads the log. */
export const UNKNOWN = {
  id: 'unknown',
  title: 'Unrecognised failure',
  risk: 'high' satisfies Risk,
  summary: 'No playbook recognises this failure.',
  remediation: ['Read the end of the job log: the first error above the final "Job failed" line is usually the cause.', 'If this failure recurs, it is worth a playbook.'],
} as const;

function checkRegistry(playbooks: readonly Playbook[]): void {
  const signalNames = new Set<string>();
  for (const playbook of playbooks) {
    for (const { name, weight } of playbook.signals) {
      if (signalNames.has(name)) throw new Error(`signal name ${name} is used twice`);
      if (!(weight > 0 && weight <= 1)) throw new Error(`signal ${name}: weight ${weight} is not in (0, 1]`);
      signalNames.add(name);
    }
  }
}
checkRegistry(PLAYBOOKS);
