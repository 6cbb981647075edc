/**
 * Deterministic mutations of published payloads: the same seed gives the same requests on every
 * run, so a failure names a case that can be replayed.
 */

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

export interface Mutant {
  /** what was done, for the failure message */
  name: string;
  body: Buffer;
}

const clone = <T>(value: T): T => structuredClone(value);

/** Every path to a value inside the document (the root excluded). */
function paths(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...paths(item, [...prefix, index])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
  return [];
}

function set(root: Json, path: Path, replacement: Json | undefined): void {
  let node = root as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    node[last] = replacement;
  }
}

function get(root: Json, path: Path): Json {
  let node = root as Json;
  for (const step of path) node = (node as Record<string | number, Json>)[step]!;
  return node;
}

const FLIPS: Json[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'x', '0', [], {}, [null], { type: 1 }, ' ', 'true', '[object Object]'];
const STRINGS = ['\u0000', '\ud800', '\u202e', '\ufeff', '😀'.repeat(3), '%00', '../../../etc/passwd', '<script>alert(1)</script>', "'; DROP TABLE x;--", '${process.exit()}', '__proto__', '\r\nX-Injected: 1'];
const TOPS = ['', ' ', '\n', 'null', 'true', '42', '"string"', '[]', '{}', '[{}]', '{"type":""}', '{"type":null}', '{"type":{"$gt":""}}', 'x'.repeat(64), '{"a":', '\u0000'];

function nest(depth: number, inner: Json): string {
  const open = depth % 2 === 0 ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = depth % 2 === 0 ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}${JSON.stringify(inner)}${close}`;
}

/** One mutation of `base`, chosen by the generator: a structural change, or a textual one of its JSON. */
export function mutateJson(base: Json, random: Random): Mutant {
  const doc = clone(base);
  const all = paths(doc);
  const path = all.length > 0 ? random.pick(all) : [];
  const where = path.join('.') || '(root)';
  const text = JSON.stringify(doc);
  switch (random.int(13)) {
    case 0:
      return { name: `truncated at ${Math.min(text.length, random.int(text.length))}`, body: Buffer.from(text.slice(0, random.int(text.length))) };
    case 1: {
      const value = random.pick(FLIPS);
      if (path.length > 0) set(doc, path, value);
      return { name: `${where} := ${JSON.stringify(value)}`, body: Buffer.from(JSON.stringify(path.length > 0 ? doc : value)) };
    }
    case 2: {
      const size = random.pick([10_000, 200_000, 1_200_000]);
      if (path.length > 0) set(doc, path, 'A'.repeat(size));
      return { name: `${where} := ${size} characters`, body: Buffer.from(JSON.stringify(doc)) };
    }
    case 3: {
      const depth = random.pick([64, 5_000, 100_000]);
      const placeholder = '"__deep__"';
      if (path.length > 0) set(doc, path, '__deep__');
      return { name: `${where} nested ${depth} deep`, body: Buffer.from(JSON.stringify(doc).replace(placeholder, nest(depth, 1))) };
    }
    case 4: {
      if (path.length > 0) set(doc, path, undefined);
      return { name: `${where} removed`, body: Buffer.from(JSON.stringify(doc)) };
    }
    case 5: {
      // a duplicate key: JSON.parse keeps the last, other parsers the first
      const value = JSON.stringify(random.pick(FLIPS));
      const key = typeof path[path.length - 1] === 'string' ? String(path[path.length - 1]) : 'type';
      return { name: `duplicate key ${key}`, body: Buffer.from(text.replace('{', `{${JSON.stringify(key)}:${value},`)) };
    }
    case 6: {
      const bytes = Buffer.from(text);
      const at = random.int(bytes.length + 1);
      const bad = Buffer.from(random.pick([[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x90, 0x80], [0xed, 0xa0, 0x80]]));
      return { name: `invalid UTF-8 at byte ${at}`, body: Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]) };
    }
    case 7: {
      const strings = all.filter((candidate) => typeof get(doc, candidate) === 'string');
      const target = strings.length > 0 ? random.pick(strings) : undefined;
      const odd = random.pick(STRINGS);
      if (target) set(doc, target, `${String(get(doc, target))}${odd}`);
      return { name: `${target?.join('.') ?? '(none)'} += ${JSON.stringify(odd)}`, body: Buffer.from(JSON.stringify(doc)) };
    }
    case 8: {
      const polluted = text.replace('{', '{"__proto__":{"polluted":true,"admin":true},"constructor":{"prototype":{"polluted":true}},');
      return { name: '__proto__ and constructor keys', body: Buffer.from(polluted) };
    }
    case 9: {
      const top = random.pick(TOPS);
      return { name: `body ${JSON.stringify(top.slice(0, 20))}`, body: Buffer.from(top) };
    }
    case 10: {
      const chars = [...text];
      const count = 1 + random.int(8);
      for (let n = 0; n < count && chars.length > 0; n += 1) chars[random.int(chars.length)] = random.pick(['"', '{', '}', ',', ':', '\\', ' ', 'x', '0', ']']);
      return { name: `${count} characters replaced`, body: Buffer.from(chars.join('')) };
    }
    case 11:
      return { name: 'wrapped in an array', body: Buffer.from(`[${text}]`) };
    default: {
      const numbers = all.filter((candidate) => typeof get(doc, candidate) === 'number');
      const target = numbers.length > 0 ? random.pick(numbers) : path;
      const raw = random.pick(['1e999', '-0', '1e-999', '123456789012345678901234567890', '0x10', '01']);
      if (target.length > 0) set(doc, target, '__number__');
      return { name: `${target.join('.') || '(root)'} := ${raw}`, body: Buffer.from(JSON.stringify(doc).replace('"__number__"', raw)) };
    }
  }
}

/** A content type to send the mutant with: mostly the right one, sometimes not. */
export function contentType(right: string, random: Random): string {
  if (random.chance(0.8)) return right;
  return random.pick(['text/plain', 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '', '*/*', 'APPLICATION/JSON;;;charset="x"']);
}

/** A form body (Slack slash commands) with one field changed, duplicated, removed or badly encoded. */
export function mutateForm(base: string, random: Random): Mutant {
  const form = new URLSearchParams(base);
  const keys = [...form.keys()];
  const key = random.pick(keys);
  switch (random.int(6)) {
    case 0:
      form.delete(key);
      return { name: `form ${key} removed`, body: Buffer.from(form.toString()) };
    case 1:
      form.append(key, random.pick(['', 'x', '/other', 'U0ADMIN']));
      return { name: `form ${key} duplicated`, body: Buffer.from(form.toString()) };
    case 2:
      form.set(key, 'A'.repeat(random.pick([5_000, 300_000, 1_100_000])));
      return { name: `form ${key} huge`, body: Buffer.from(form.toString()) };
    case 3:
      return { name: 'form with bad percent-encoding', body: Buffer.from(`${form.toString()}&text=%E0%A4%A&x=%ZZ&%`) };
    case 4:
      form.set(key, random.pick(STRINGS));
      return { name: `form ${key} odd`, body: Buffer.from(form.toString()) };
    default:
      return { name: 'form truncated', body: Buffer.from(form.toString().slice(0, random.int(form.toString().length))) };
  }
}
