/** True when DynamoDB refused a write because its condition did not hold (someone else won). */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
