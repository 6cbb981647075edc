import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyOrRefuse, sendJson, type Handler } from '../../http/server.js';
import type { Logger } from '../../log.js';
import type { PipelineFailures } from './failures.js';
import { pipelineHookSchema } from './hook.js';
import type { WorkQueue } from './queue.js';

export interface WebhookDeps {
  /** GITLAB_WEBHOOK_SECRET; without it every delivery is refused */
  secret: string | undefined;
  failures: PipelineFailures;
  queue: WorkQueue;
  log: Logger;
}

// a Pipeline Hook lists every job of the pipeline; big pipelines make big bodies
const BODY_LIMIT = 2 * 1024 * 1024;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** X-Gitlab-Token is the secret itself (no HMAC): compared in constant time, whatever its length. */
export function tokenMatches(given: string | string[] | undefined, secret: string | undefined): boolean {
  if (!secret || typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * POST /webhooks/gitlab. Answers fast and works afterwards: 401 without the right token, 400 for
 * a body that is not a Pipeline Hook, 200 for everything else (ignored or accepted), so GitLab
 * never disables the hook for slowness. Nothing in a body is used before the token is checked.
 */
export function gitlabWebhook(deps: WebhookDeps): Handler {
  let warned = false;
  return async (req, res) => {
    if (!deps.secret && !warned) {
      warned = true;
      deps.log.warn('a GitLab webhook arrived but GITLAB_WEBHOOK_SECRET is not set: every delivery is refused (401)');
    }
    if (!tokenMatches(req.headers['x-gitlab-token'], deps.secret)) {
      deps.log.warn({ event: req.headers['x-gitlab-event'], hasToken: req.headers['x-gitlab-token'] !== undefined }, 'GitLab webhook refused: wrong or missing X-Gitlab-Token');
      return sendJson(res, 401, { error: 'invalid or missing X-Gitlab-Token' });
    }
    await accept(deps, req, res);
  };
}

async function accept(deps: WebhookDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBodyOrRefuse(req, res, BODY_LIMIT);
  if (!raw) return;
  const event = req.headers['x-gitlab-event'];
  if (event !== 'Pipeline Hook') return sendJson(res, 200, { status: 'ignored', reason: `aiops reads Pipeline Hook events only (got ${typeof event === 'string' ? event.slice(0, 40) : 'none'})` });
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(res, 400, { error: 'the body is not JSON' });
  }
  const parsed = pipelineHookSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendJson(res, 400, { error: `not a Pipeline Hook: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is invalid'}` });
  }
  const hook = parsed.data;
  const delivery = { project: hook.project.path_with_namespace, pipeline: hook.object_attributes.id, status: hook.object_attributes.status, uuid: req.headers['x-gitlab-webhook-uuid'] };
  if (!deps.failures.serviceOf(hook)) {
    deps.log.info(delivery, 'GitLab pipeline of a project outside the catalog: ignored');
    return sendJson(res, 200, { status: 'ignored', reason: 'the project is not in the catalog' });
  }
  if (!deps.queue.push(async () => void (await deps.failures.process(hook)))) {
    deps.log.error(delivery, 'too many GitLab deliveries waiting: this one is dropped');
    return sendJson(res, 503, { error: 'busy, try again later' });
  }
  deps.log.info(delivery, 'GitLab pipeline event accepted');
  return sendJson(res, 200, { status: 'accepted' });
}
