#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npm start` needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start that its 2027 releases will need Node 22; aiops pins
// SDK versions that run on Node 20, so the warning is noise for our users.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (typeof text === 'string' && text.startsWith('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

register();
const { run } = await import('../src/cli.ts');
const code = await run(process.argv.slice(2), process.env);
process.exitCode = code;
