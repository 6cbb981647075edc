import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../../src/sessions/embedded.js';
import { openStore, type OpenedStore } from '../../../src/sessions/store.js';
import { freePort } from './ports.js';

/**
 * The one DynamoDB-compatible store every bot process shares, running in the test process so it
 * outlives a kill -9 of any bot. It persists under a temp dir and keeps its port, so it can be
 * stopped (the store "unreachable") and started again with every record still there.
 */
export class SharedStore {
  private server: EmbeddedDynamo | undefined;

  private constructor(
    readonly endpoint: string,
    private readonly port: number,
    private readonly dir: string,
    /** the test's own client on the tables, to check what the bots recorded */
    readonly records: OpenedStore,
  ) {}

  static async start(tablePrefix: string): Promise<SharedStore> {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-reliability-'));
    const port = await freePort();
    const server = await startEmbeddedDynamo({ path: dir, port });
    // the bots use an external endpoint and so never create tables; this is `aiops init-tables`
    const records = await openStore({ endpoint: server.endpoint, tablePrefix, createTables: true, maxAttempts: 1 });
    const shared = new SharedStore(server.endpoint, port, dir, records);
    shared.server = server;
    return shared;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  /** Same port, same files: to the bots it is the same database coming back. */
  async restart(): Promise<void> {
    if (this.server) return;
    this.server = await startEmbeddedDynamo({ path: this.dir, port: this.port });
  }

  async close(): Promise<void> {
    await this.records.close();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
