import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_ISSUER = 'https://api.botframework.test';

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/**
 * Plays the Bot Framework's OpenID metadata and signing keys, and signs tokens the way the
 * channel does (RS256, kid, aud = the bot's app id, serviceurl claim), so JWT validation in
 * botbuilder runs for real against keys we control.
 */
export class FakeOpenId {
  private readonly privateKey: KeyObject;
  private readonly jwk: { n: string; e: string };

  private constructor(private readonly server: Server, keys: { privateKey: KeyObject; publicKey: KeyObject }) {
    this.privateKey = keys.privateKey;
    const jwk = keys.publicKey.export({ format: 'jwk' });
    this.jwk = { n: String(jwk.n), e: String(jwk.e) };
  }

  static async start(): Promise<FakeOpenId> {
    const holder: { fake?: FakeOpenId } = {};
    const server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: 'test-key', n: holder.fake!.jwk.n, e: holder.fake!.jwk.e, endorsements: ['msteams'] }] }));
      else res.end(JSON.stringify({ issuer: TEST_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeOpenId(server, generateKeyPairSync('rsa', { modulusLength: 2048 }));
    return holder.fake;
  }

  get metadataUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/openid`;
  }

  token(claims: Record<string, unknown>, options: { key?: KeyObject; kid?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'test-key' }));
    const payload = base64url(JSON.stringify({ iss: TEST_ISSUER, iat: now, nbf: now - 10, exp: now + 600, ...claims }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(options.key ?? this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
