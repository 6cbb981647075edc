import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/sessions/embedded.js';

let counter = 0;

/**
 * One in-memory embedded DynamoDB-compatible server per test file (random port on 127.0.0.1);
 * every bot built on it gets its own table prefix, so tests never see each other's data.
 */
export function useEmbeddedStore(): { endpoint(): string; prefix(): string } {
  let server: EmbeddedDynamo | undefined;
  beforeAll(async () => {
    server = await startEmbeddedDynamo();
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    endpoint: () => {
      if (!server) throw new Error('the embedded store is not started yet (call inside a test or hook)');
      return server.endpoint;
    },
    prefix: () => `t${process.pid}_${++counter}_`,
  };
}
