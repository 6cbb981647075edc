import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../src/bot/console/console.js';
import { renderText, plainStyle } from '../../src/bot/console/render.js';
import { TestBot } from '../support/bot.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();
let bot: TestBot;

beforeEach(async () => {
  bot = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix(), admins: ['console:operator'] });
});
afterEach(async () => bot.close());

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const chat = new ConsoleChat({ engine: bot.app.engine, input, output, user: 'operator' });
  const finished = chat.run();
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await finished;
  return printed;
}

describe('the console', () => {
  it('runs a prod deploy approved by a second user, with buttons as numbers', async () => {
    const out = await session(['grant bob devops', 'deploy payments v1.2 to prod', '1', 'y', '/as bob', '1', 'y']);
    expect(out).toContain('console:bob is now devops');
    expect(out).toContain('[1] Approve   [2] Cancel');
    expect(out).toContain('Four-eyes rule');
    expect(out).toContain('(you are now bob)');
    expect(out).toMatch(/aiops #2 \(updated\):[\s\S]*Approved by bob/);
    expect(out).toContain('Dry-run: Deploy payments v1.2 to prod');
  });

  it('asks before clicking a button with a confirmation, and does nothing on no', async () => {
    const out = await session(['grant bob devops', 'deploy payments v1.2 to prod', '/as bob', '1', 'n']);
    expect(out).toContain('(not confirmed)');
    expect(out).not.toContain('Approved by');
  });

  it('starts a new thread with /new, so follow-ups do not leak', async () => {
    const out = await session(['deploy payments v1.2', '/new', 'staging']);
    expect(out).toContain('Which environment');
    expect(out).toContain("didn't understand");
  });
});

describe('terminal rendering', () => {
  it('strips control characters a user could use to rewrite the terminal', () => {
    const text = renderText({ text: 'hi \u001b[2J\u001b]0;pwned\u0007there', fields: [{ label: 'x', value: '\u0008y' }] }, plainStyle);
    expect(text).toBe('hi [2J]0;pwnedthere\n  x: y');
  });
});
