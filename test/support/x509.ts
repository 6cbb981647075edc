import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * A self-signed X.509 certificate made in the test, standing in for the SNS signing certificate.
 * Node can make RSA keys but not certificates, so this writes the few DER structures by hand.
 */

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const integer = (value: number): Buffer => tlv(0x02, Buffer.from([value]));
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const explicit = (tag: number, content: Buffer): Buffer => tlv(0xa0 + tag, content);
const NULL = Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const part of rest) {
    const chunk: number[] = [];
    let value = part;
    do {
      chunk.unshift((value & 0x7f) | (chunk.length ? 0x80 : 0));
      value >>= 7;
    } while (value > 0);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`, 'ascii'));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);
const name = (commonName: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));

export interface TestCertificate {
  pem: string;
  privateKey: KeyObject;
}

export function selfSignedCertificate(options: { commonName?: string; notBefore: Date; notAfter: Date }): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const subject = name(options.commonName ?? 'sns.amazonaws.com');
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(1),
    SHA256_WITH_RSA,
    subject,
    sequence(utcTime(options.notBefore), utcTime(options.notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const certificate = sequence(tbs, SHA256_WITH_RSA, bitString(sign('sha256', tbs, privateKey)));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return { pem: `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`, privateKey };
}
