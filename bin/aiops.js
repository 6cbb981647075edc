#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { quietNodeVersionWarning } = await import('../src/quiet-warnings.ts');
quietNodeVersionWarning();
const { run } = await import('../src/cli.ts');
process.exitCode = await run(process.argv.slice(2), process.env);
