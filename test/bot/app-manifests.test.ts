import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { createRegistry } from '../../src/actions/index.js';
import { SLACK_EVENTS_PATH } from '../../src/bot/slack/http.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const slackManifest = z.object({
  features: z.object({
    bot_user: z.object({ display_name: z.string() }),
    slash_commands: z.array(z.object({ command: z.string(), url: z.string(), usage_hint: z.string().min(1) })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.string() }),
  }),
});

describe('the Slack app manifest', () => {
  const manifest = slackManifest.parse(parse(read('manifest.yml')));

  it('sends events, /aiops and interactivity to the one URL aiops serves', () => {
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, ...manifest.features.slash_commands.map((command) => command.url)];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/aiops']);
  });

  it('subscribes to the events the adapter handles, with the minimal scopes', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.channels', 'message.groups', 'message.im']);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'groups:history', 'im:history', 'users:read']);
  });
});

const teamsManifest = z.object({
  manifestVersion: z.string(),
  id: z.uuid(),
  icons: z.object({ color: z.string(), outline: z.string() }),
  bots: z.array(
    z.object({
      botId: z.uuid(),
      scopes: z.array(z.string()),
      commandLists: z.array(z.object({ commands: z.array(z.object({ title: z.string().max(32), description: z.string().max(128) })).max(10) })),
    }),
  ),
});

const pngSize = (path: string): { width: number; height: number } => {
  const bytes = readFileSync(new URL(`../../appPackage/${path}`, import.meta.url));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

describe('the Teams app package', () => {
  const manifest = teamsManifest.parse(JSON.parse(read('appPackage/manifest.json')));

  it('lists only commands aiops has', () => {
    const known = new Set(createRegistry().names());
    for (const command of manifest.bots[0]!.commandLists[0]!.commands) expect(known.has(command.title)).toBe(true);
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('has the two icons Teams asks for: 192x192 color, 32x32 outline', () => {
    expect(pngSize(manifest.icons.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(manifest.icons.outline)).toEqual({ width: 32, height: 32 });
  });
});
