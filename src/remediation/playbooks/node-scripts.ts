import { COMMAND_NOT_FOUND, commandOf, isSystemCommand } from './commands.js';
import { NODE_CLI_PACKAGES, PYTHON_CLI_PACKAGES } from './names.js';
import { NPM_ERR } from './signal.js';
import type { Detector, Hit } from './types.js';

// `> admin-ui@1.8.0 build /drone/src` (npm <= 6) or `> admin-ui@1.8.0 build` (npm >= 7), yarn's `$ vue-cli-service build`.
const SCRIPT_HEADER = /^> (?:@[\w.-]{1,100}\/)?[\w.-]{1,100}@\S{1,60} [\w:.-]{1,60}(?: \S{1,300})?$/;
// What npm, yarn and pnpm print after a script's command was not there.
const SCRIPT_FAILED = new RegExp(
  `${NPM_ERR} (?:code ELIFECYCLE|code 127|errno ENOENT|syscall spawn)|ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|error Command failed with exit code 127|command failed[^\\n]{0,80}exit code 127`,
);
const NEAR = 15;

/**
 * A command not found inside a package.json script: node_modules/.bin is on the PATH there, so an
 * unknown command is almost always a dev dependency's binary that was not installed (or was
 * omitted with --production). The package name is not printed, so nothing is auto-added.
 */
export const scriptCommandNotFound: Detector = {
  name: 'npm-script-command-not-found',
  detect(lines) {
    const hits: Hit[] = [];
    lines.forEach((line, index) => {
      const match = line.length < 400 ? COMMAND_NOT_FOUND.exec(line) : null;
      const tool = match ? commandOf(match) : undefined;
      if (!tool || isSystemCommand(tool) || tool in NODE_CLI_PACKAGES || tool in PYTHON_CLI_PACKAGES) return;
      const before = lines.slice(Math.max(0, index - NEAR), index);
      const after = lines.slice(index + 1, index + 1 + NEAR);
      if (!before.some((other) => SCRIPT_HEADER.test(other)) && !after.some((other) => SCRIPT_FAILED.test(other))) return;
      hits.push({ signal: this.name, weight: 0.74, lineIndex: index, slots: { tool, ecosystem: 'npm', dev: 'yes' } });
    });
    return hits.slice(-1);
  },
};
