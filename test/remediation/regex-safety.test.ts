import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../src/remediation/analyze.js';
import { PLAYBOOKS } from '../../src/remediation/playbooks/index.js';
import { MAX_LINE_CHARS } from '../../src/remediation/score.js';

// Lines built to make a backtracking pattern try every split: long runs of what its repeats accept,
// after the words that start a match, and never finishing the match.
const FILLERS = ['a', ' ', 'a/', '"', 'a.', '1.', '-', '0', 'aa:', '\t', "'", 'a ', '/a', '.py', 'Key "a": ', ': ', 'x@', '│ ', '::', '(1,', '_'];
const STARTS = ['', 'error: ', "Cannot find module '", "No module named '", '> a@1.0.0 ', '[ERROR] ', 'Error from server (', 'src/a.c:1:2: ', 'FAIL ', 'E   ', '  File "', 'Invalid ', 'make: *** [', 'Input should be '];
const line = (start: string, filler: string): string => (start + filler.repeat(Math.ceil(MAX_LINE_CHARS / filler.length))).slice(0, MAX_LINE_CHARS);

describe('signal patterns stay linear on hostile input', () => {
  it('no pattern spends long on any adversarial line', () => {
    const slow: string[] = [];
    for (const playbook of PLAYBOOKS) {
      for (const { name, pattern } of playbook.signals) {
        const started = performance.now();
        for (const start of STARTS) for (const filler of FILLERS) pattern.exec(`${line(start, filler)}!`);
        const elapsed = performance.now() - started;
        if (elapsed > 250) slow.push(`${name}: ${Math.round(elapsed)} ms`);
      }
    }
    expect(slow).toEqual([]);
  });

  it('a 64 KB trace of any filler is analysed quickly', () => {
    for (const filler of FILLERS) {
      const log = `${filler.repeat(Math.ceil(60 / filler.length))}\n`.repeat(1100);
      const started = performance.now();
      analyzeFailure(log);
      expect(performance.now() - started).toBeLessThan(1500);
    }
  });
});
