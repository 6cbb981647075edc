import { anyOf } from './signal.js';

/**
 * A command the job tried to run and could not find: shells (`sh: 1: x: not found`, `bash: x: command
 * not found`, zsh), Windows cmd and PowerShell, and the runners that start a project's tools: uv, poetry,
 * pipenv, pdm, nox, Python's subprocess, yarn and pnpm.
 */
export const COMMAND_NOT_FOUND = anyOf([
  /\b([\w.-]{2,40}): (?:command )?not found\s*$|[Cc]ommand not found: ([\w.-]{2,40})/,
  /'([\w.-]{2,40})' is not recognized as an internal or external command|The term '([\w.-]{2,40})' is not recognized/,
  /Failed to spawn: `([\w.-]{2,40})`|the command ([\w.-]{2,40}) could not be found within PATH|Command '([\w.-]{2,40})' is not found in your PATH/,
  /Program ([\w.-]{2,40}) not found|FileNotFoundError: \[(?:Errno 2|WinError 2)\] [^:\n]{1,80}: '([\w.-]{2,40})'$/,
  /Command "([\w.-]{2,40})" not found/,
]);

export const commandOf = (match: RegExpExecArray): string | undefined => match.slice(1).find((group) => group !== undefined);

// What every image has or lacks for reasons of its own: never an npm or PyPI package.
const SYSTEM_COMMANDS = new Set([
  'sh', 'bash', 'zsh', 'node', 'npm', 'npx', 'yarn', 'pnpm', 'bun', 'deno', 'corepack', 'python', 'python3', 'pip', 'pip3', 'git', 'make', 'docker',
  'jq', 'yq', 'curl', 'wget', 'tar', 'zip', 'unzip', 'gzip', 'ssh', 'scp', 'rsync', 'sed', 'awk', 'grep', 'find', 'xargs', 'envsubst', 'openssl',
  'gcc', 'g++', 'cc', 'clang', 'cmake', 'java', 'mvn', 'gradle', 'go', 'cargo', 'rustc', 'ruby', 'bundle', 'php', 'composer', 'dotnet',
  'aws', 'az', 'gcloud', 'kubectl', 'helm', 'terraform', 'ansible', 'vault', 'gh', 'glab', 'sudo', 'apt-get', 'apk', 'yum', 'brew', 'poetry', 'uv',
  'pipenv', 'pdm', 'hatch', 'tox', 'nox', 'xvfb-run', 'chromium', 'google-chrome', 'firefox', 'psql', 'mysql', 'redis-cli',
]);
export const isSystemCommand = (tool: string): boolean => SYSTEM_COMMANDS.has(tool);
