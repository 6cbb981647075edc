import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config-problems.js';

const problems = configProblems;

describe('configuration', () => {
  it('runs the embedded default with nothing set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dryRun).toBe(true);
    expect(config.externalStore).toBe(false);
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
    expect(config.llm).toBeUndefined();
    expect(config.envOrder).toEqual(['dev', 'staging', 'prod']);
    expect(config.fourEyesEnvironments).toEqual(['prod']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: expected a whole number \(got "eighty"\)/],
    [{ PORT: '70000' }, /^PORT: expected at most 65535/],
    [{ AIOPS_DRY_RUN: 'maybe' }, /^AIOPS_DRY_RUN: expected true or false/],
    [{ SLACK_BOT_TOKEN: 'xoxp-123', SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN: a bot token starts with xoxb-/],
    [{ SLACK_BOT_TOKEN: 'xoxb-123' }, /^SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/],
    [{ SLACK_SIGNING_SECRET: 'abc' }, /^SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, /^SLACK_APP_TOKEN: an app-level token starts with xapp-/],
    [{ GITLAB_URL: 'https://gitlab.example.com' }, /^GITLAB_TOKEN: required when GITLAB_URL/],
    [{ GITLAB_URL: 'not a url', GITLAB_TOKEN: 'glpat-x' }, /^GITLAB_URL: expected a URL/],
    [{ MicrosoftAppPassword: 'pw' }, /^MicrosoftAppId: required/],
    [{ MicrosoftAppId: 'id', MicrosoftAppType: 'SingleTenant' }, /^MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant/],
    [{ MicrosoftAppType: 'Sometimes' }, /^MicrosoftAppType:/],
    [{ AIOPS_LLM_MIN_CONFIDENCE: '1.5' }, /^AIOPS_LLM_MIN_CONFIDENCE: expected a number between 0 and 1/],
    [{ AIOPS_ENV_ORDER: 'dev,prod,dev' }, /^AIOPS_ENV_ORDER: lists an environment twice/],
    [{ AIOPS_TABLE_PREFIX: 'bad prefix!' }, /^AIOPS_TABLE_PREFIX: use letters/],
  ])('names the variable and the fix for %j', (env, message) => {
    const found = problems(env);
    expect(found.some((problem) => message.test(problem)), found.join('\n')).toBe(true);
  });

  it('never echoes a secret it refuses', () => {
    const found = problems({ SLACK_BOT_TOKEN: 'xoxp-very-secret-value', SLACK_SIGNING_SECRET: 's' });
    expect(found.join('\n')).not.toContain('very-secret-value');
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: 'x', AIOPS_DRY_RUN: 'perhaps' })).toHaveLength(2);
  });

  it('switches each real part on by its own variables', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sign',
      GITLAB_URL: 'https://gitlab.example.com/',
      GITLAB_TOKEN: 'glpat-abcdefghijkl',
      AWS_REGION: 'eu-west-1',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      AIOPS_ADMINS: 'slack:U1, teams:29:abc',
    });
    expect(config.slack?.mode).toBe('http');
    expect(config.gitlab?.url).toBe('https://gitlab.example.com');
    expect(config.dryRun).toBe(false);
    expect(config.externalStore).toBe(true);
    expect(config.llm?.model).toBeTruthy();
    expect(config.admins).toEqual(['slack:U1', 'teams:29:abc']);
    expect(config.secrets).toEqual(expect.arrayContaining(['xoxb-1', 'sign', 'glpat-abcdefghijkl', 'sk-ant-test']));
  });

  it('prefers Socket Mode when an app token is given', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.mode).toBe('socket');
  });
});
