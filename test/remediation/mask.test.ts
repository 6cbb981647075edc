import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/remediation/trace/mask.js';

const masked = (text: string): string => maskSecrets(text).text;

describe('maskSecrets: every secret shape is masked', () => {
  const cases: Array<[string, string, string]> = [
    ['GitLab personal token', 'export GITLAB_TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt12', 'export GITLAB_TOKEN=[MASKED]'],
    ['GitLab token in a header', 'curl -H "PRIVATE-TOKEN: glpat-xyzxyzxyzxyzxyzxyz1234" https://gitlab.com/api/v4', 'curl -H "PRIVATE-TOKEN: [MASKED]" https://gitlab.com/api/v4'],
    ['GitLab deploy and runner tokens', 'gldt-abcdefghijklmnopqrstuv glrt-abcdefghijklmnopqrstuv GR1348941abcdefghijklmnopqrstu', '[MASKED] [MASKED] [MASKED]'],
    ['GitHub tokens', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '[MASKED] [MASKED]'],
    ['Slack bot and app tokens', 'SLACK xoxb-1234567890-0987654321-AbCdEfGhIj xapp-1-A0123-456-abcdef0123', 'SLACK [MASKED] [MASKED]'],
    ['Slack webhook URL', 'posting to https://hooks.slack.com/services/T0001/B0002/abcdefXYZ123', 'posting to https://hooks.slack.com/[MASKED]'],
    ['Anthropic key', 'using sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-bbbb', 'using [MASKED]'],
    ['OpenAI key', 'key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD', 'key [MASKED]'],
    ['AWS access key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id = [MASKED]'],
    ['AWS secret key', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_ACCESS_KEY=[MASKED]'],
    ['Google API key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', '[MASKED]'],
    ['Stripe key', 'STRIPE sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'STRIPE [MASKED]'],
    ['npm token in .npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789', '//registry.npmjs.org/:_authToken=[MASKED]'],
    ['npm basic auth in .npmrc', '_auth = dXNlcjpwYXNzd29yZA==', '_auth = [MASKED]'],
    ['PyPI token', `TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc${'x'.repeat(60)}`, 'TWINE_PASSWORD=[MASKED]'],
    ['Docker Hub token', 'echo dckr_pat_abcdefghijklmnopqrstuvwx | docker login', 'echo [MASKED] | docker login'],
    ['Bearer token', 'Authorization: Bearer abc.def.ghi123', 'Authorization: Bearer [MASKED]'],
    ['Basic auth header', 'curl -H "Authorization: Basic dXNlcjpwYXNz" https://x', 'curl -H "Authorization: Basic [MASKED]" https://x'],
    ['bare bearer token', 'sending bearer 8f14e45fceea167a5a36dedd4bea2543', 'sending bearer [MASKED]'],
    ['JWT', 'id_token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'id_token: [MASKED]'],
    ['password assignment', 'password=hunter2 user=bob', 'password=[MASKED] user=bob'],
    ['secret assignment', 'client_secret: 9f8e7d6c5b4a', 'client_secret: [MASKED]'],
    ['token assignment in a query string', 'GET /api?access_token=abc123&page=2', 'GET /api?access_token=[MASKED]&page=2'],
    ['JSON password', '{"password": "p@ss w0rd", "user": "bob"}', '{"password": "[MASKED]", "user": "bob"}'],
    ['YAML password', '  DB_PASSWORD: hunter2', '  DB_PASSWORD: [MASKED]'],
    ['ADO.NET connection string', 'Server=tcp:db;Database=app;User Id=sa;Password=Sup3r;Encrypt=true', 'Server=tcp:db;Database=app;User Id=sa;Password=[MASKED];Encrypt=true'],
    ['postgres URL', 'DATABASE_URL=postgres://app:s3cr3t!@db.internal:5432/app', 'DATABASE_URL=postgres://app:[MASKED]@db.internal:5432/app'],
    ['mongodb+srv URL', 'mongodb+srv://admin:pa55@cluster0.mongodb.net/db', 'mongodb+srv://admin:[MASKED]@cluster0.mongodb.net/db'],
    ['redis URL without user', 'REDIS_URL=redis://:hunter2@cache:6379/0', 'REDIS_URL=redis://:[MASKED]@cache:6379/0'],
    ['basic-auth clone URL', 'git clone https://oauth2:abc123def456@gitlab.com/x/y.git', 'git clone https://oauth2:[MASKED]@gitlab.com/x/y.git'],
    ['docker login -p', 'docker login -u gitlab-ci-token -p hunter2xyz registry.gitlab.com', 'docker login -u gitlab-ci-token -p [MASKED] registry.gitlab.com'],
    ['--password flag', 'mysql --password=hunter2 -h db', 'mysql --password=[MASKED] -h db'],
    ['--token flag', 'vercel deploy --token abc123XYZ --prod', 'vercel deploy --token [MASKED] --prod'],
    ['curl -u', 'curl -u deploy:hunter2 https://nexus/repo', 'curl -u deploy:[MASKED] https://nexus/repo'],
    ['S3 presigned URL', '?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101&X-Amz-Signature=abcdef0123&x=1', '?X-Amz-Credential=[MASKED]%2F20240101&X-Amz-Signature=[MASKED]&x=1'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(masked(input)).toBe(expected);
  });

  it('masks a PEM private key body, keeping the armour', () => {
    const key = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1234567890abcdefghijklmnopqrstuv', 'abcdefghijklmnopqrstuvwxyzABCDEF0123==', '-----END RSA PRIVATE KEY-----'];
    expect(masked(['writing key', ...key, 'next step'].join('\n'))).toBe(
      ['writing key', '-----BEGIN RSA PRIVATE KEY-----[MASKED]', '-----END RSA PRIVATE KEY-----', 'next step'].join('\n'),
    );
  });

  it('masks an encrypted PEM key with headers', () => {
    const key = ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,ABCDEF', '', 'MIIE6TAbBgkqhkiG9w0BBQMwDgQI', '-----END ENCRYPTED PRIVATE KEY-----'].join('\n');
    expect(masked(key)).not.toMatch(/MIIE|DEK-Info/);
  });

  it('masks a one-line key with \\n escapes (service-account JSON)', () => {
    const line = '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\nhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n",';
    expect(masked(line)).not.toMatch(/MIIE|hkiG/);
  });

  it('masks the body of a key whose BEGIN line was truncated away', () => {
    const tail = ['abcdefghijklmnopqrstuvwxyzABCDEF0123', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'zz==', '-----END OPENSSH PRIVATE KEY-----', 'ok'].join('\n');
    expect(masked(tail)).toBe('[MASKED]-----END OPENSSH PRIVATE KEY-----\nok');
  });

  it('masks a key whose END never arrives', () => {
    const cut = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'AAAAMwAAAAtzc2gtZW'].join('\n');
    expect(masked(cut)).toBe('-----BEGIN OPENSSH PRIVATE KEY-----[MASKED]');
  });

  it('counts what it masked by kind, never the values', () => {
    const result = maskSecrets('GITLAB_TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt12\npassword=x1');
    expect(result.counts).toEqual({ 'gitlab-token': 1, 'secret-assignment': 1 });
    expect(JSON.stringify(result.counts)).not.toContain('hunter');
  });
});

describe('maskSecrets: nothing else is mangled', () => {
  const untouched = [
    'SyntaxError: Unexpected token: punc (})',
    "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
    'Bearer authentication required',
    'token=$CI_JOB_TOKEN password=${DB_PASSWORD} secret: ${{ secrets.DEPLOY_KEY }}',
    'password: null',
    'GITLAB_TOKEN=[MASKED]',
    "ModuleNotFoundError: No module named 'secrets_manager'",
    'Tests: 1 failed, 14 passed, 15 total',
    'Checking out 9f8e7d6c0b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e as detached HEAD',
    'sha256:3b1f4c2d5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c',
    'https://registry.npmjs.org/@babel%2fcore failed, reason: connect ETIMEDOUT 104.16.3.35:443',
    'git fetch https://github.com/acme/platform/ +refs/heads/main',
    'postgres://app@db.internal:5432/app',
    'KeyError: \'STRIPE_API_KEY\'',
    'max_tokens: 4096, tokens used: 12',
    'Error: Input required and not supplied: token',
    'npm WARN deprecated inflight@1.0.6: This module is not supported',
    'C:\\Users\\runneradmin\\AppData\\Local\\Temp\\secret-scan.ps1',
    '  --password-stdin',
    'task-runner-image-builder-with-a-long-hyphenated-name-0123456789',
  ];
  it.each(untouched)('%s', (line) => {
    expect(masked(line)).toBe(line);
  });

  it('is idempotent', () => {
    const once = masked('password=hunter2 glpat-AbCdEfGhIjKlMnOpQrSt12 postgres://a:b@c/d');
    expect(masked(once)).toBe(once);
  });
});
