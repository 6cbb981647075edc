import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { start } from '../../src/main.js';

describe('the running server', () => {
  it('serves POST /webhooks/gitlab next to /healthz, refuses a wrong token, and shuts down cleanly', async () => {
    const config = loadConfig({ AIOPS_DATA_DIR: mkdtempSync(join(tmpdir(), 'aiops-gitlab-')), PORT: '0', AIOPS_LOG_LEVEL: 'silent', GITLAB_WEBHOOK_SECRET: 'the-secret' });
    const running = await start(config, { mode: 'server', stdin: process.stdin, stdout: process.stdout });
    try {
      const url = running.http!.url;
      const refused = await fetch(`${url}/webhooks/gitlab`, { method: 'POST', headers: { 'x-gitlab-token': 'wrong', 'x-gitlab-event': 'Pipeline Hook' }, body: '{}' });
      expect(refused.status).toBe(401);
      const malformed = await fetch(`${url}/webhooks/gitlab`, { method: 'POST', headers: { 'x-gitlab-token': 'the-secret', 'x-gitlab-event': 'Pipeline Hook' }, body: '{}' });
      expect(malformed.status).toBe(400);
      expect((await fetch(`${url}/webhooks/gitlab`)).status).toBe(405);
    } finally {
      await running.shutdown('test');
    }
  });
});
