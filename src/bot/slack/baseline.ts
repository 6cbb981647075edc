import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

/**
 * The benchmark's baseline: a bare Bolt app over HTTP that acks every command and event and
 * does nothing else. aiops is measured against it on the same requests.
 */
export async function startBareBolt(options: { signingSecret: string; botToken: string; apiUrl: string }): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({
    token: options.botToken,
    botId: 'BBENCH',
    botUserId: 'UBOT',
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: options.apiUrl },
  });
  app.command(/^\/.+/, async ({ ack }) => ack());
  app.event('app_mention', async () => undefined);
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    close: async () => {
      await app.stop();
    },
  };
}
