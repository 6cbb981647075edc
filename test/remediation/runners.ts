/** Wraps a step's output the way each CI system prints a failed job, for realistic test logs. */

const ESC = '\u001b';

export function gitlabJob(image: string, output: string, exitCode = 1): string {
  return [
    `${ESC}[0KRunning with gitlab-runner 17.2.0 (6428c282)${ESC}[0;m`,
    `${ESC}[0K  on docker-autoscaler-1 t3_zPq1x, system ID: s_0a1b2c3d4e5f${ESC}[0;m`,
    `section_start:1720000000:prepare_executor\r${ESC}[0K${ESC}[0K${ESC}[36;1mPreparing the "docker" executor${ESC}[0;m${ESC}[0;m`,
    `${ESC}[0KUsing Docker executor with image ${image} ...${ESC}[0;m`,
    `section_end:1720000004:prepare_executor\r${ESC}[0K`,
    `section_start:1720000004:get_sources\r${ESC}[0K${ESC}[0K${ESC}[36;1mGetting source from Git repository${ESC}[0;m${ESC}[0;m`,
    `${ESC}[32;1mFetching changes with git depth set to 20...${ESC}[0;m`,
    `${ESC}[32;1mChecking out 1a2b3c4d as detached HEAD (ref is feature/x)...${ESC}[0;m`,
    `section_end:1720000006:get_sources\r${ESC}[0K`,
    `section_start:1720000006:step_script\r${ESC}[0K${ESC}[0K${ESC}[36;1mExecuting "step_script" stage of the job script${ESC}[0;m${ESC}[0;m`,
    output.trim(),
    `section_end:1720000100:step_script\r${ESC}[0K`,
    `section_start:1720000100:cleanup_file_variables\r${ESC}[0K${ESC}[0K${ESC}[36;1mCleaning up project directory and file based variables${ESC}[0;m${ESC}[0;m`,
    `section_end:1720000101:cleanup_file_variables\r${ESC}[0K`,
    `${ESC}[31;1mERROR: Job failed: exit code ${exitCode}${ESC}[0;m`,
  ].join('\n');
}

export function githubStep(run: string, output: string, exitCode = 1): string {
  const lines = [`##[group]Run ${run}`, run, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output.trim().split('\n'), `##[error]Process completed with exit code ${exitCode}.`];
  return lines.map((line, index) => `2024-06-01T10:00:${String(index % 60).padStart(2, '0')}.1234567Z ${line}`).join('\n');
}

export function jenkinsStage(output: string): string {
  return ['[Pipeline] stage', '[Pipeline] { (Test)', '[Pipeline] sh', output.trim(), '[Pipeline] }', 'ERROR: script returned exit code 1', 'Finished: FAILURE'].join('\n');
}
