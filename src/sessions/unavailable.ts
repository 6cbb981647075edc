/** Socket and DNS failures: nothing answered at the endpoint. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** DynamoDB's own "not now" answers, once the SDK has retried them. */
const BUSY_NAMES = new Set(['TimeoutError', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable']);

/**
 * True when a store call failed because DynamoDB could not be reached or would not answer,
 * after the SDK's own retries: as opposed to an answer (a failed condition, a validation error)
 * or a bug. Recognised by the AWS SDK's `$metadata`, which every error it throws carries; the
 * store is the only AWS service a chat turn calls.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !('$metadata' in error)) return false;
  const { code, $fault } = error as Error & { code?: unknown; $fault?: unknown };
  return (typeof code === 'string' && NETWORK_CODES.has(code)) || BUSY_NAMES.has(error.name) || $fault === 'server';
}
