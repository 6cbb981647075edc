import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.(ts|mts|js|mjs)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** Packages the code loads at run time: bare specifiers of value imports (type-only imports vanish). */
function runtimePackages(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^import\s+(?!type\s)[^'";]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\('([^']+)'\)/g),
  ].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!));
}

describe('the Docker image', () => {
  it('installs every package the code loads at run time (npm ci --omit=dev drops the rest)', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const used = new Set(['bin', 'src'].flatMap(sources).flatMap(runtimePackages));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !(name in manifest.dependencies)).sort()).toEqual([]);
  });

  it('is node:20-slim in both stages, runs as a user other than root, and checks its health', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])).toEqual(['node:20-slim', 'node:20-slim']);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER (?!root\b)\w+/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/healthz/ms);
    for (const path of ['package.json', 'bin', 'src', 'examples']) expect(runtime, path).toMatch(new RegExp(`^COPY ${path} `, 'm'));
    expect(runtime).toMatch(/^CMD \["node", "bin\/aiops\.js", "start"\]/m);
  });
});
