import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from '../../src/sessions/store.js';

/** Everything the store holds, every table, as text: a secret must not appear in it. */
export async function storeText(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const table of Object.values(store.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await store.doc.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
      parts.push(JSON.stringify(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return parts.join('\n');
}

/** The secrets among `secrets` that occur in any of the texts. */
export const leaked = (secrets: readonly string[], ...texts: string[]): string[] => secrets.filter((secret) => texts.some((text) => text.includes(secret)));
