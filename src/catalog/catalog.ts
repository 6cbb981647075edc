import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { closestMatches } from '../text/similarity.js';

/**
 * The service catalog: a Backstage catalog-info.yaml (kind: Component), so teams that run
 * Backstage point aiops at the file they already have. aiops reads these annotations:
 *   gitlab.com/project-slug   GitLab project path (required for GitLab actions)
 *   aiops/environments        comma-separated environments, in promotion order
 *   aiops/alarms              comma-separated CloudWatch alarm name prefixes
 *   aiops/slack-channel       channel id for alerts and auto-fix reports
 *   aiops/teams-conversation  Teams conversation id for the same
 */

const componentSchema = z.object({
  apiVersion: z.string().startsWith('backstage.io/'),
  kind: z.literal('Component'),
  metadata: z.object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'metadata.name must be lowercase letters, digits and dashes' }),
    title: z.string().optional(),
    description: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional().default({}),
    tags: z.array(z.string()).optional().default([]),
  }),
  spec: z.object({
    type: z.string().optional(),
    lifecycle: z.string().optional(),
    owner: z.string().min(1, { error: 'spec.owner is required' }),
  }),
});

export interface Service {
  name: string;
  title: string;
  description: string | undefined;
  owner: string;
  lifecycle: string | undefined;
  projectSlug: string | undefined;
  environments: string[];
  alarmPrefixes: string[];
  slackChannel: string | undefined;
  teamsConversation: string | undefined;
  annotations: Record<string, string>;
}

export type ServiceLookup = { found: true; service: Service } | { found: false; suggestions: string[] };

export class CatalogError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`catalog ${path} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

export class Catalog {
  private readonly byName: Map<string, Service>;

  constructor(readonly services: Service[]) {
    this.byName = new Map(services.map((service) => [service.name, service]));
  }

  lookup(name: string): ServiceLookup {
    const service = this.byName.get(name.toLowerCase());
    if (service) return { found: true, service };
    return { found: false, suggestions: closestMatches(name.toLowerCase(), [...this.byName.keys()]) };
  }

  get(name: string): Service | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every environment any service declares, in first-seen order. */
  environments(): string[] {
    return [...new Set(this.services.flatMap((service) => service.environments))];
  }

  /** The service owning an alarm: the longest matching `aiops/alarms` prefix wins. */
  serviceForAlarm(alarmName: string): Service | undefined {
    let best: { service: Service; length: number } | undefined;
    for (const service of this.services) {
      for (const prefix of service.alarmPrefixes) {
        if (alarmName.startsWith(prefix) && prefix.length > (best?.length ?? 0)) best = { service, length: prefix.length };
      }
    }
    return best?.service;
  }
}

export function parseCatalog(source: string, path: string, defaultEnvironments: string[]): Catalog {
  const problems: string[] = [];
  const services: Service[] = [];
  const documents = parseAllDocuments(source);
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const where = `document ${index + 1}`;
    if (document.errors.length > 0) {
      problems.push(`${where}: ${document.errors.map((error) => error.message).join('; ')}`);
      return;
    }
    const value: unknown = document.toJSON();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || (value as { kind?: unknown }).kind !== 'Component') return;
    const parsed = componentSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${where} (${issue.path.join('.')}): ${issue.message}`));
      return;
    }
    const { metadata, spec } = parsed.data;
    const annotations = metadata.annotations;
    const environments = splitList(annotations['aiops/environments']).map((env) => env.toLowerCase());
    if (services.some((service) => service.name === metadata.name)) {
      problems.push(`${where}: component ${metadata.name} is declared twice`);
      return;
    }
    services.push({
      name: metadata.name,
      title: metadata.title ?? metadata.name,
      description: metadata.description,
      owner: spec.owner,
      lifecycle: spec.lifecycle,
      projectSlug: annotations['gitlab.com/project-slug'],
      environments: environments.length > 0 ? environments : defaultEnvironments,
      alarmPrefixes: splitList(annotations['aiops/alarms']),
      slackChannel: annotations['aiops/slack-channel'],
      teamsConversation: annotations['aiops/teams-conversation'],
      annotations,
    });
  });
  if (problems.length > 0) throw new CatalogError(path, problems);
  return new Catalog(services);
}

export function loadCatalog(path: string, defaultEnvironments: string[]): Catalog {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}); set AIOPS_CATALOG to your catalog-info.yaml`]);
  }
  return parseCatalog(source, path, defaultEnvironments);
}
