import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (title: string): string => {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
};

describe('README', () => {
  it('lists every variable src/config.ts reads in the configuration table', () => {
    const table = section('Configuration');
    expect(CONFIG_VARIABLES.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it('documents every metric the app registers, in Run in production', async () => {
    const { Metrics } = await import('../../src/metrics/registry.js');
    const names = (await new Metrics().registry.getMetricsAsJSON()).map((metric) => metric.name);
    const running = section('Run in production');
    expect(names.filter((name) => !running.includes(`\`${name}\``))).toEqual([]);
  });
});
