import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class JsonlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonlError';
  }
}

/** Reads a JSON Lines file, validating each line; errors name the file and line. Blank lines are skipped. */
export function readJsonl<T>(path: string, schema: z.ZodType<T>): T[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new JsonlError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const rows: T[] = [];
  source.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new JsonlError(`${path}:${index + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new JsonlError(`${path}:${index + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
    }
    rows.push(parsed.data);
  });
  return rows;
}
