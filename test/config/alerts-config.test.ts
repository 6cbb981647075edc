import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config-problems.js';

const problems = configProblems;

describe('alert settings', () => {
  it('reads the default alert channel for Slack and Teams (whose ids contain colons)', () => {
    expect(loadConfig({ AIOPS_ALERT_CHANNEL: 'slack:C0123ABCD' }).alerts.defaultTarget).toEqual({ platform: 'slack', channel: 'C0123ABCD' });
    expect(loadConfig({ AIOPS_ALERT_CHANNEL: 'teams:19:abc@thread.tacv2' }).alerts.defaultTarget).toEqual({ platform: 'teams', channel: '19:abc@thread.tacv2' });
    expect(loadConfig({}).alerts.defaultTarget).toBeUndefined();
  });

  it.each([
    [{ AIOPS_ALERT_CHANNEL: '#alerts' }, /^AIOPS_ALERT_CHANNEL: expected slack:<channel id>/],
    [{ AIOPS_ALERT_CHANNEL: 'slack:#alerts' }, /^AIOPS_ALERT_CHANNEL: a Slack channel id looks like C0123ABCD/],
    [{ AIOPS_SNS_TOPICS: 'MyTopic' }, /^AIOPS_SNS_TOPICS: "MyTopic" is not an SNS topic ARN/],
    [{ AIOPS_ALARM_POLL_SECONDS: '-1' }, /^AIOPS_ALARM_POLL_SECONDS: expected at least 0/],
  ])('refuses %j', (env, message) => {
    expect(problems(env)[0]).toMatch(message);
  });

  it('takes several topics, and 0 turns the poller off', () => {
    const config = loadConfig({ AIOPS_SNS_TOPICS: 'arn:aws:sns:us-west-2:123456789012:MyTopic, arn:aws:sns:eu-west-1:123456789012:alarms.fifo', AIOPS_ALARM_POLL_SECONDS: '0' });
    expect(config.alerts.snsTopics).toHaveLength(2);
    expect(config.alerts.pollSeconds).toBe(0);
  });
});
