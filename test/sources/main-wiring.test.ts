import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { start } from '../../src/main.js';

describe('the running server', () => {
  it('serves POST /webhooks/sns next to /healthz and shuts down with the alert watcher running', async () => {
    const config = loadConfig({ AIOPS_DATA_DIR: mkdtempSync(join(tmpdir(), 'aiops-alerts-')), PORT: '0', AIOPS_LOG_LEVEL: 'silent' });
    const running = await start(config, { mode: 'server', stdin: process.stdin, stdout: process.stdout });
    try {
      const url = running.http!.url;
      const junk = await fetch(`${url}/webhooks/sns`, { method: 'POST', body: 'not json' });
      expect(junk.status).toBe(400);
      expect((await fetch(`${url}/webhooks/sns`)).status).toBe(405);
    } finally {
      await running.shutdown('test');
    }
  });
});
