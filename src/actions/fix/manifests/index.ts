import type { RepositoryFile } from '../../../integrations/gitlab.js';
import type { AutoFix } from '../../../remediation/index.js';
import { addNpmDependency } from './package-json.js';
import { addPyprojectDependency } from './pyproject.js';
import { addRequirement } from './requirements.js';
import type { ManifestEdit } from './edit.js';

export type { ManifestEdit } from './edit.js';

type DependencyFix = Extract<AutoFix, { kind: 'add-dependency' }>;

export type ManifestChange =
  | { ok: true; file: RepositoryFile; content: string; line: string }
  | { ok: false; reason: 'listed' | 'unsupported' | 'no-manifest'; detail: string };

function edit(fix: DependencyFix, file: RepositoryFile): ManifestEdit {
  if (fix.ecosystem === 'npm') return addNpmDependency(file.content, fix.package, fix.dev);
  return file.path === 'pyproject.toml' ? addPyprojectDependency(file.content, fix.package) : addRequirement(file.content, fix.package);
}

/**
 * The change to make, from the manifests the project has (read at the failed commit, in the fix's
 * order of preference). A package any of them already lists is not added again: then the install
 * step is what is wrong, and a person should look.
 */
export function manifestChange(fix: DependencyFix, files: ReadonlyArray<RepositoryFile | undefined>): ManifestChange {
  const present = files.filter((file): file is RepositoryFile => file !== undefined);
  if (present.length === 0) return { ok: false, reason: 'no-manifest', detail: `the project has no ${fix.manifests.join(' or ')} at its root` };
  const edits = present.map((file) => ({ file, result: edit(fix, file) }));
  const listed = edits.find((item) => !item.result.ok && item.result.reason === 'listed');
  if (listed && !listed.result.ok) return { ok: false, reason: 'listed', detail: `${listed.result.detail}, so the install step, not the manifest, needs a look` };
  const chosen = edits.find((item) => item.result.ok);
  if (chosen?.result.ok) return { ok: true, file: chosen.file, content: chosen.result.content, line: chosen.result.line };
  const first = edits[0]!.result;
  return { ok: false, reason: 'unsupported', detail: first.ok ? 'no manifest could be edited' : first.detail };
}
