/**
 * Where CI logs name the repository being built: the checkout directory (GitLab `/builds/<group>/<project>`,
 * GitHub `/home/runner/work/<repo>/<repo>`), pytest's `rootdir:` and the git remote the runner fetched.
 */
const REPOSITORY_PATHS: readonly RegExp[] = [
  /(?:Initialized empty|Reinitialized existing) Git repository in (\S{1,500}?)[\\/]\.git[\\/]?$/,
  /^rootdir: ([^\s,]{1,500})/,
  /\/home\/runner\/work\/([\w.-]{1,100})\/\1(?![\w.-])/,
  /\b[A-Z]:\\a\\([\w.-]{1,100})\\\1(?![\w.-])/,
  /^Obtained Jenkinsfile from git (\S{1,500})/,
  /\bremote\.origin\.url (\S{1,500})/,
  /^Syncing repository: (\S{1,300})/,
];

const lastSegment = (path: string): string => path.replace(/[\\/]+$/, '').split(/[\\/:]/).pop()?.replace(/\.git$/, '') ?? '';

/** Names of the repository this job built, as its log shows them (`billing-core`), first seen first. */
export function repositoryNames(lines: readonly string[]): string[] {
  const names = new Set<string>();
  for (const line of lines) {
    for (const pattern of REPOSITORY_PATHS) {
      const path = pattern.exec(line)?.[1];
      const name = path === undefined ? '' : lastSegment(path);
      if (/^[\w.-]{2,100}$/.test(name)) names.add(name);
    }
  }
  return [...names];
}
