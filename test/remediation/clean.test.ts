import { describe, expect, it } from 'vitest';
import { cleanTrace, TRACE_TAIL_BYTES } from '../../src/remediation/clean.js';

const ESC = '\u001b';

describe('cleanTrace: terminal noise', () => {
  it('strips ANSI colours and GitLab section markers, keeping the text', () => {
    const raw = [
      `section_start:1718012345:prepare_executor\r${ESC}[0K${ESC}[0K${ESC}[36;1mPreparing the "docker" executor${ESC}[0;m`,
      `${ESC}[32;1mChecking out 9f8e7d6c as detached HEAD${ESC}[0;m`,
      `section_start:1718012352:step_script[collapsed=true]\r${ESC}[0K$ npm test`,
      `section_end:1718012400:step_script\r${ESC}[0K${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m`,
    ].join('\n');
    expect(cleanTrace(raw).text).toBe(
      ['Preparing the "docker" executor', 'Checking out 9f8e7d6c as detached HEAD', '$ npm test', 'ERROR: Job failed: exit code 1'].join('\n'),
    );
  });

  it('keeps the last state of a line redrawn with carriage returns, and Windows line ends', () => {
    const raw = 'Downloading  10%\rDownloading  55%\rDownloading 100%\r\nInstalled 3 packages\r\n';
    expect(cleanTrace(raw).text).toBe('Downloading 100%\nInstalled 3 packages\n');
  });

  it('drops OSC hyperlinks, cursor movement and stray control bytes', () => {
    const raw = `${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\ text${ESC}[2K${ESC}[1G done\u0007\u0008`;
    expect(cleanTrace(raw).text).toBe('link text done');
  });

  it('removes runner timestamp prefixes and group end markers (GitHub, GitLab 17)', () => {
    const raw = [
      '2024-05-14T09:10:00.1234567Z ##[group]Run npm ci',
      '2024-05-14T09:10:00.1234567Z ##[endgroup]',
      '2024-05-14T09:10:01.123456Z 00O+ npm ERR! code ERESOLVE',
    ].join('\n');
    expect(cleanTrace(raw).text).toBe('##[group]Run npm ci\nnpm ERR! code ERESOLVE');
  });

  it('removes Buildkite line stamps, raw (ESC _bk;t=… BEL) and copied from the web UI', () => {
    const raw = `${ESC}_bk;t=1718100000851\u0007$ pytest\n_bk;t=1718100000852E   assert 1 == 2`;
    expect(cleanTrace(raw).text).toBe('$ pytest\nE   assert 1 == 2');
  });

  it('removes TeamCity timestamps with their status letter and tab indentation', () => {
    const raw = '[13:59:35] :\t [Step 2/3] > Task :test\n[13:59:36]E:\t\t [Step 2/3] FAILED';
    expect(cleanTrace(raw).text).toBe('[Step 2/3] > Task :test\n[Step 2/3] FAILED');
  });

  it('removes colour codes that lost their ESC byte when a log was copied from a browser', () => {
    expect(cleanTrace('[0K[32;1m$ pytest[0;m').text).toBe('$ pytest');
  });

  it('leaves ordinary text alone, brackets and all', () => {
    const text = 'FAILED tests/test_api.py::test_get[param-1] - assert [1, 2] == [1, 3]\nelapsed [12m30s] {"ok": false}';
    expect(cleanTrace(text).text).toBe(text);
  });

  it('is idempotent', () => {
    const raw = `${ESC}[31mpassword=hunter2${ESC}[0m\r\nDATABASE_URL=postgres://app:pw@db/app`;
    const once = cleanTrace(raw);
    expect(cleanTrace(once.text).text).toBe(once.text);
  });
});

describe('cleanTrace: the last 64 KB', () => {
  it('keeps short traces whole', () => {
    const result = cleanTrace('one\ntwo\n');
    expect(result).toMatchObject({ text: 'one\ntwo\n', truncated: false });
  });

  it('keeps the end of a long trace, starting on a whole line, within the byte budget', () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `line ${String(index).padStart(5, '0')} ${'x'.repeat(20)}`);
    const result = cleanTrace(lines.join('\n'));
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(TRACE_TAIL_BYTES);
    expect(Buffer.byteLength(result.text)).toBeGreaterThan(TRACE_TAIL_BYTES - 100);
    expect(result.text.endsWith('line 04999 xxxxxxxxxxxxxxxxxxxx')).toBe(true);
    expect(result.text.split('\n')[0]).toMatch(/^line \d{5} x{20}$/);
  });

  it('never splits a multi-byte character', () => {
    const result = cleanTrace('é'.repeat(40_000), { maxBytes: 1001 });
    expect(result.text).toBe('é'.repeat(500));
  });

  it('budgets the cleaned text, so colour codes do not eat the 64 KB', () => {
    const noisy = Array.from({ length: 3000 }, (_, index) => `${ESC}[32;1m${ESC}[0Kok ${index}${ESC}[0;m`).join('\n');
    const result = cleanTrace(noisy, { maxBytes: 1024 });
    expect(result.text.split('\n').at(-1)).toBe('ok 2999');
    expect(result.text).not.toContain(ESC);
  });

  it('masks a secret whose line straddles the cut by dropping the partial line', () => {
    const raw = `GITLAB_TOKEN=glpat-${'a'.repeat(30)}\n${'z'.repeat(50)}\nend`;
    const cut = cleanTrace(raw, { maxBytes: 70 });
    expect(cut.text).toBe(`${'z'.repeat(50)}\nend`);
  });
});
