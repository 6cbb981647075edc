import { verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../sessions/clock.js';

/**
 * SNS message authentication, as AWS documents it: rebuild the canonical string from the
 * message's own fields, fetch the signing certificate (only over https, only from the SNS
 * endpoint of the topic's region), and check the RSA signature (SignatureVersion 1 = SHA1,
 * 2 = SHA256). Nothing in a message is trusted before this passes.
 */

const common = {
  MessageId: z.string().min(1).max(100),
  TopicArn: z.string().min(1).max(512),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.string(),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1).max(2048),
};
const confirmation = { ...common, Token: z.string().min(1).max(2048), SubscribeURL: z.string().min(1).max(4096) };

export const snsEnvelopeSchema = z.discriminatedUnion('Type', [
  z.object({ Type: z.literal('Notification'), ...common, Subject: z.string().optional(), UnsubscribeURL: z.string().optional() }),
  z.object({ Type: z.literal('SubscriptionConfirmation'), ...confirmation }),
  z.object({ Type: z.literal('UnsubscribeConfirmation'), ...confirmation }),
]);

export type SnsEnvelope = z.infer<typeof snsEnvelopeSchema>;

export type Verification = { ok: true } | { ok: false; status: 401 | 403 | 503; reason: string };

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** The canonical string SNS signs: each present field as "Name\nvalue\n", in this fixed order. */
export function stringToSign(envelope: SnsEnvelope): string {
  const fields = envelope.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  const values = envelope as unknown as Record<string, string | undefined>;
  return fields
    .filter((field) => values[field] !== undefined)
    .map((field) => `${field}\n${values[field]}\n`)
    .join('');
}

const ARN = /^arn:(aws(?:-[a-z]+)*):sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_.-]+$/;

/** `sns.<region>.amazonaws.com` (`.com.cn` in China) for the region in the topic ARN. */
export function snsHostFor(topicArn: string): string | undefined {
  const match = ARN.exec(topicArn);
  if (!match) return undefined;
  const domain = match[1] === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `sns.${match[2]}.${domain}`;
}

/** True when `url` is https on the topic region's SNS host, default port, no credentials. */
export function isSnsUrl(url: string, topicArn: string): boolean {
  const host = snsHostFor(topicArn);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return host !== undefined && parsed.protocol === 'https:' && parsed.hostname === host && parsed.port === '' && !parsed.username && !parsed.password;
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export class CertificateError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}

const MAX_CERT_BYTES = 64 * 1024;

/** Signing certificates by URL, fetched once and kept until they expire (a few at most: one per region). */
export class SigningCertificates {
  private readonly cache = new Map<string, Promise<{ key: KeyObject; validTo: number }>>();

  constructor(
    private readonly options: { clock: Clock; fetch?: Fetch; maxEntries?: number; timeoutMs?: number },
  ) {}

  async publicKey(url: string): Promise<KeyObject> {
    const now = this.options.clock.now().getTime();
    let entry = this.cache.get(url);
    if (entry) {
      const cached = await entry.catch(() => undefined);
      if (!cached || cached.validTo <= now) {
        this.cache.delete(url);
        entry = undefined;
      }
    }
    if (!entry) {
      entry = this.load(url, now);
      if (this.cache.size >= (this.options.maxEntries ?? 20)) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(url, entry);
      entry.catch(() => this.cache.delete(url));
    }
    return (await entry).key;
  }

  private async load(url: string, now: number): Promise<{ key: KeyObject; validTo: number }> {
    const fetcher = this.options.fetch ?? fetch;
    let pem: string;
    try {
      const response = await fetcher(url, { redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
      if (!response.ok) throw new CertificateError(`certificate fetch answered ${response.status}`, response.status >= 500);
      pem = await response.text();
    } catch (error) {
      if (error instanceof CertificateError) throw error;
      throw new CertificateError(`certificate fetch failed: ${(error as Error).message}`, true);
    }
    if (pem.length > MAX_CERT_BYTES) throw new CertificateError('certificate too large', false);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new CertificateError('not an X.509 certificate', false);
    }
    const validFrom = Date.parse(certificate.validFrom);
    const validTo = Date.parse(certificate.validTo);
    if (!(validFrom <= now && now < validTo)) throw new CertificateError('certificate outside its validity period', false);
    return { key: certificate.publicKey, validTo };
  }
}

const ALGORITHMS: Record<string, string> = { '1': 'sha1', '2': 'sha256' };

export class SnsVerifier {
  constructor(
    private readonly certificates: SigningCertificates,
    private readonly allowedTopics: readonly string[],
  ) {}

  topicAllowed(topicArn: string): boolean {
    return this.allowedTopics.includes(topicArn);
  }

  async verify(envelope: SnsEnvelope): Promise<Verification> {
    if (!this.topicAllowed(envelope.TopicArn)) return { ok: false, status: 403, reason: 'topic not allowed (AIOPS_SNS_TOPICS)' };
    if (!isSnsUrl(envelope.SigningCertURL, envelope.TopicArn) || !new URL(envelope.SigningCertURL).pathname.endsWith('.pem')) {
      return { ok: false, status: 401, reason: 'SigningCertURL is not on the SNS endpoint of the topic region' };
    }
    const algorithm = ALGORITHMS[envelope.SignatureVersion];
    if (!algorithm) return { ok: false, status: 401, reason: `unsupported SignatureVersion ${envelope.SignatureVersion.slice(0, 10)}` };
    let key: KeyObject;
    try {
      key = await this.certificates.publicKey(envelope.SigningCertURL);
    } catch (error) {
      const transient = error instanceof CertificateError && error.transient;
      return { ok: false, status: transient ? 503 : 401, reason: (error as Error).message };
    }
    const signature = Buffer.from(envelope.Signature, 'base64');
    const valid = verifySignature(algorithm, Buffer.from(stringToSign(envelope), 'utf8'), key, signature);
    return valid ? { ok: true } : { ok: false, status: 401, reason: 'signature does not match' };
  }
}
