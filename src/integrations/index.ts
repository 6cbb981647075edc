import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { GitLab, type GitLabOptions } from './gitlab.js';

export type GitLabTuning = Partial<Pick<GitLabOptions, 'sleep' | 'random' | 'now' | 'policy' | 'circuit'>>;

/** The thin clients the configuration switches on; each is absent when its variables are unset. */
export function createIntegrations(config: Config, log: Logger, tuning: GitLabTuning = {}): { configured: string[]; gitlab?: GitLab } {
  if (!config.gitlab) return { configured: [] };
  const gitlab = new GitLab({ url: config.gitlab.url, token: config.gitlab.token, log, ...tuning });
  return { configured: ['gitlab'], gitlab };
}
