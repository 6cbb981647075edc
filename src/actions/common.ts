import type { Service } from '../catalog/catalog.js';
import { UserError } from '../errors.js';
import type { ActionContext, PlannedCall, Risk } from './types.js';

export function requireService(ctx: ActionContext, name: string): Service {
  const lookup = ctx.catalog.lookup(name);
  if (lookup.found) return lookup.service;
  const suggestion = lookup.suggestions.length > 0 ? ` Did you mean ${lookup.suggestions.map((s) => `*${s}*`).join(' or ')}?` : '';
  throw new UserError(`I don't know a service called *${name}*.${suggestion}`, 'Services come from the catalog (AIOPS_CATALOG).');
}

export function requireEnvironment(service: Service, environment: string): void {
  if (!service.environments.includes(environment)) {
    throw new UserError(`*${service.name}* has no *${environment}* environment (it has ${service.environments.join(', ')}).`);
  }
}

/** A locked service/environment refuses changes by anyone but whoever locked it. */
export async function assertNotLocked(ctx: ActionContext, service: string, environment: string): Promise<string | undefined> {
  const lock = await ctx.store.locks.get(service, environment);
  if (!lock) return undefined;
  if (lock.lockedBy === ctx.actor.key) return `${service} ${environment} is locked by you${lock.reason ? ` (${lock.reason})` : ''}; going ahead because you hold the lock.`;
  throw new UserError(
    `*${service}* in *${environment}* is locked by ${lock.lockedByName} since ${lock.lockedAt.slice(0, 16).replace('T', ' ')} UTC${lock.reason ? `: ${lock.reason}` : ''}.`,
    `Only ${lock.lockedByName} can change it until someone runs \`unlock ${service} ${environment}\`.`,
  );
}

export function projectPath(service: Service): string {
  if (!service.projectSlug) {
    throw new UserError(`*${service.name}* has no GitLab project in the catalog.`, 'Add the annotation gitlab.com/project-slug to its catalog-info.yaml.');
  }
  return service.projectSlug;
}

export const encodeProject = (project: string): string => encodeURIComponent(project);

export function riskFor(environment: string, envOrder: readonly string[]): Risk {
  const last = envOrder[envOrder.length - 1];
  if (environment === last || environment === 'prod') return 'high';
  if (envOrder.indexOf(environment) > 0) return 'medium';
  return 'low';
}

export const defaultBranch = (service: Service): string => service.annotations['aiops/default-branch'] ?? 'main';

export interface PipelineVariables {
  action: string;
  environment: string;
  version?: string;
  correlationId: string;
  requestedBy: string;
  approvedBy?: string;
  extra?: Record<string, string>;
}

/** The variables every aiops pipeline gets, so the pipeline, the audit trail and the chat share one id. */
export function pipelineVariables(variables: PipelineVariables): Array<{ key: string; value: string }> {
  return [
    { key: 'AIOPS_ACTION', value: variables.action },
    { key: 'AIOPS_ENVIRONMENT', value: variables.environment },
    ...(variables.version ? [{ key: 'AIOPS_VERSION', value: variables.version }] : []),
    { key: 'AIOPS_CORRELATION_ID', value: variables.correlationId },
    { key: 'AIOPS_REQUESTED_BY', value: variables.requestedBy },
    ...(variables.approvedBy ? [{ key: 'AIOPS_APPROVED_BY', value: variables.approvedBy }] : []),
    ...Object.entries(variables.extra ?? {}).map(([key, value]) => ({ key, value })),
  ];
}

export function triggerPipelineCall(project: string, ref: string, variables: Array<{ key: string; value: string }>): PlannedCall {
  return { system: 'gitlab', method: 'POST', path: `/projects/${encodeProject(project)}/pipeline`, body: { ref, variables } };
}

/** The plan's pipeline triggers with the approver added, as they are sent at execution time. */
export function withApprover<P extends { calls: PlannedCall[] }>(planned: P, approvedBy: string | undefined): P {
  if (!approvedBy) return planned;
  const calls = planned.calls.map((call) => {
    const variables = call.body?.variables;
    if (call.method !== 'POST' || !call.path.endsWith('/pipeline') || !Array.isArray(variables)) return call;
    return { ...call, body: { ...call.body, variables: [...variables, { key: 'AIOPS_APPROVED_BY', value: approvedBy }] } };
  });
  return { ...planned, calls };
}
