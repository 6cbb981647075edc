import { UserError } from '../errors.js';

export type GitLabFailure = 'http' | 'timeout' | 'network' | 'circuit-open' | 'invalid-response';

/**
 * A GitLab call that failed, with a message the person in the chat can act on. It never
 * carries the request (headers hold the token), only what GitLab said and where.
 */
export class GitLabError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly failure: GitLabFailure,
    /** the HTTP status, for failure "http" */
    readonly status: number | undefined,
    /** GitLab's own message (body.message or body.error), for callers that tell cases apart */
    readonly gitlabMessage: string | undefined,
    /** the project path the call was about, when it was about one */
    readonly project: string | undefined,
  ) {
    super(message, hint);
    this.name = 'GitLabError';
  }
}

export const isGitLabError = (error: unknown): error is GitLabError => error instanceof GitLabError;

export const isNotFound = (error: unknown, what?: RegExp): boolean =>
  isGitLabError(error) && error.status === 404 && (what === undefined || what.test(error.gitlabMessage ?? ''));

/** "projects/acme%2Fpayments/pipeline" -> "acme/payments"; namespaces likewise. */
export function subjectOf(endpoint: string): string | undefined {
  const match = /^(?:projects|namespaces|groups)\/([^/?]+)/.exec(endpoint);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** What GitLab put in an error body: `message` (string or field map), or OAuth's `error`. */
export function describeBody(body: unknown): { message: string | undefined; oauthError: string | undefined } {
  if (typeof body === 'string') return { message: body.trim().slice(0, 300) || undefined, oauthError: undefined };
  if (!body || typeof body !== 'object') return { message: undefined, oauthError: undefined };
  const record = body as Record<string, unknown>;
  const oauthError = typeof record.error === 'string' ? record.error : undefined;
  const raw = record.message ?? record.error_description ?? record.error;
  if (typeof raw === 'string') return { message: raw.slice(0, 300), oauthError };
  if (raw && typeof raw === 'object') {
    // validation errors come as {"name": ["has already been taken"]}
    const parts = Object.entries(raw as Record<string, unknown>).map(([field, value]) => `${field} ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    return { message: parts.join('; ').slice(0, 300), oauthError };
  }
  return { message: undefined, oauthError };
}

export interface HttpFailure {
  status: number;
  body: unknown;
  endpoint: string;
  method: string;
  attempts: number;
  retryAfterSeconds?: number;
}

export function httpError(failure: HttpFailure): GitLabError {
  const project = subjectOf(failure.endpoint);
  const where = project ? ` for ${project}` : '';
  const { message, oauthError } = describeBody(failure.body);
  const prefix = `GitLab answered ${failure.status}${where}`;
  const make = (text: string, hint?: string) => new GitLabError(`${prefix}: ${text}`, hint, 'http', failure.status, message, project);
  switch (failure.status) {
    case 401:
      return make('the token was refused (expired, revoked or mistyped).', 'Check GITLAB_TOKEN: a project, group or personal access token with the api scope.');
    case 403:
      if (oauthError === 'insufficient_scope') return make('the token lacks the api scope.', 'Create a token with the api scope and set GITLAB_TOKEN.');
      return make(
        'the token lacks the api scope, or its user may not do this there.',
        'The token needs the api scope and at least the Developer role on the project (Maintainer to create projects in the namespace).',
      );
    case 404:
      return make(
        project ? `${project} was not found, or the token cannot see it.` : `not found (${message ?? failure.endpoint}).`,
        project ? 'Check gitlab.com/project-slug in the catalog, and that the token has access to the project.' : undefined,
      );
    case 400:
    case 409:
    case 422:
      return make(`it refused the request${message ? `: ${message}` : ''}.`);
    case 429:
      return make(
        `too many requests; still rate limited after ${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}${failure.retryAfterSeconds ? ` (it asked to wait ${failure.retryAfterSeconds} s)` : ''}.`,
        'Nothing more was sent. Try again in a minute.',
      );
    default:
      if (failure.status >= 500) {
        return make(
          `GitLab is having trouble (${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}).`,
          failure.method === 'GET' ? 'Try again in a few minutes.' : 'The request may not have gone through; check GitLab before you try again.',
        );
      }
      return make(message ?? 'an unexpected error.');
  }
}

export function timeoutError(endpoint: string, timeoutMs: number, attempts: number): GitLabError {
  const project = subjectOf(endpoint);
  return new GitLabError(
    `GitLab did not answer${project ? ` for ${project}` : ''} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (${attempts} attempt${attempts === 1 ? '' : 's'}).`,
    'GitLab may be slow or unreachable; try again in a few minutes.',
    'timeout',
    undefined,
    undefined,
    project,
  );
}

export function networkError(endpoint: string, host: string, code: string, attempts: number): GitLabError {
  const project = subjectOf(endpoint);
  return new GitLabError(
    `I could not reach GitLab at ${host}${project ? ` for ${project}` : ''} (${code}, ${attempts} attempt${attempts === 1 ? '' : 's'}).`,
    'Check GITLAB_URL and the network between aiops and GitLab.',
    'network',
    undefined,
    undefined,
    project,
  );
}

export function circuitOpenError(secondsLeft: number, lastProblem: string): GitLabError {
  return new GitLabError(
    `GitLab has been failing (${lastProblem}), so I am not calling it for the next ${secondsLeft} s.`,
    'Nothing was sent to GitLab. Try again shortly; status and approvals keep working.',
    'circuit-open',
    undefined,
    undefined,
    undefined,
  );
}

export function invalidResponseError(what: string, problem: string): GitLabError {
  return new GitLabError(
    `GitLab's answer to ${what} was not what I expected (${problem}).`,
    'This may be an unsupported GitLab version; the full answer is in the log.',
    'invalid-response',
    undefined,
    undefined,
    undefined,
  );
}
