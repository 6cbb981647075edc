import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short id people can read out and grep for: one per turn, carried to logs, audit and pipelines. */
export function newCorrelationId(): string {
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 32];
  return `c-${id}`;
}

export const newApprovalId = (): string => randomUUID();
