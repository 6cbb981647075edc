import { anyOf } from './playbooks/signal.js';

// Variables whose values people typed: commit and merge-request titles, branch, job and stage names.
const TYPED_VARIABLE = anyOf([
  /CI_COMMIT_(?:TITLE|MESSAGE|DESCRIPTION|BRANCH|REF_NAME|REF_SLUG|TAG_MESSAGE)|CI_MERGE_REQUEST_(?:TITLE|DESCRIPTION|SOURCE_BRANCH_NAME|LABELS)|CI_JOB_NAME|CI_JOB_STAGE/,
  /GITHUB_(?:HEAD_REF|REF_NAME|JOB|WORKFLOW)|CIRCLE_(?:BRANCH|JOB|PR_TITLE)|BUILDKITE_(?:MESSAGE|BRANCH|LABEL|PULL_REQUEST_TITLE)|BITBUCKET_BRANCH/,
  /BRANCH_NAME|CHANGE_(?:TITLE|BRANCH)|JOB_NAME|STAGE_NAME|BUILD_SOURCEVERSIONMESSAGE|BUILD_SOURCEBRANCHNAME|DRONE_(?:COMMIT_MESSAGE|COMMIT_BRANCH|PULL_REQUEST_TITLE)/,
]);

/**
 * Lines where a CI system or git echoes names and titles people wrote: `Fix flaky retry handling`
 * there is a commit title, not a test that flaked, so no playbook may count it as evidence.
 */
const CI_METADATA_LINE = anyOf([
  /^Commit message: /, // Jenkins git plugin
  /^Checking out [0-9a-f]{7,40} as /, // GitLab runner: `as detached HEAD (ref is <branch>)`, older `as <branch>`
  /^Checking out Revision [0-9a-f]{7,40} /, // Jenkins: `(refs/remotes/origin/<branch>)`
  /^(?:HEAD is now at|Previous HEAD position was) [0-9a-f]{7,40} /, // git checkout/reset print the commit title
  /^\[[\w./-]{1,200} [0-9a-f]{7,40}\] /, // git commit: `[main 1a2b3c4] <title>`
  /^[0-9a-f]{7,40} \((?:HEAD|tag: |origin\/)/, // git log --oneline --decorate
  /^Switched to (?:a new )?branch |^branch '[^']{1,200}' set up to track |^Your branch is (?:up to date|ahead|behind)/,
  /^\s{0,8}Merge (?:pull request #\d{1,7} from |branch '|remote-tracking branch ')/, // merge commit titles, as git log prints them
  new RegExp(`^\\s{0,8}(?:export |declare -x )?(?:${TYPED_VARIABLE.source})=`), // environment dumps (CircleCI, `env`, `export -p`)
  /^\[Pipeline\] \{ \(|^Stage "[^"]{1,200}" skipped due to /, // Jenkins stage names
  /^Complete job name: /, // GitHub Actions
  /^(?:##\[section\])?(?:Starting|Finishing): /, // Azure Pipelines step names
]);

export const isCiMetadata = (line: string): boolean => CI_METADATA_LINE.test(line);
