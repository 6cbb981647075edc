/**
 * The AWS SDK warns on every start that its releases after January 2027 will need Node 22.
 * aiops locks SDK versions that run on Node 20, so for our users the warning is noise.
 */
export function quietNodeVersionWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith('NodeVersionSupportWarning')) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
