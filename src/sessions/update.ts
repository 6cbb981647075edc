import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './conditions.js';

export interface ConditionalUpdate {
  table: string;
  key: Record<string, unknown>;
  /** attributes to set (undefined values are skipped) */
  set: Record<string, unknown>;
  /** attributes to remove */
  remove?: readonly string[];
  /** the condition, using #names and :values given below (or those of set/remove) */
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  returnOld?: boolean;
}

/**
 * One conditional UpdateItem: SET the fields, REMOVE the attributes, only if the condition
 * holds. Returns the item (new, or old when asked), or undefined when the condition failed:
 * someone else moved it first. Every record with a lifecycle changes through this.
 */
export async function updateIf<T>(doc: DynamoDBDocumentClient, update: ConditionalUpdate): Promise<T | undefined> {
  const names: Record<string, string> = { ...update.names };
  const values: Record<string, unknown> = { ...update.values };
  const assignments: string[] = [];
  for (const [attribute, value] of Object.entries(update.set)) {
    if (value === undefined) continue;
    // a caller's own :value of the same name would be overwritten silently, and the condition with it
    if (`:${attribute}` in values) throw new Error(`updateIf: :${attribute} is both a value of the condition and an attribute being set; rename the condition's value`);
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    assignments.push(`#${attribute} = :${attribute}`);
  }
  for (const attribute of update.remove ?? []) names[`#${attribute}`] = attribute;
  const setting = assignments.length > 0 ? `SET ${assignments.join(', ')}` : '';
  const removing = update.remove?.length ? ` REMOVE ${update.remove.map((attribute) => `#${attribute}`).join(', ')}` : '';
  try {
    const { Attributes } = await doc.send(
      new UpdateCommand({
        TableName: update.table,
        Key: update.key,
        UpdateExpression: `${setting}${removing}`.trim(),
        ConditionExpression: update.condition,
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: update.returnOld ? 'ALL_OLD' : 'ALL_NEW',
      }),
    );
    return Attributes as T;
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}
