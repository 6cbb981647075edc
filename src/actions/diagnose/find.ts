import type { Catalog, Service } from '../../catalog/catalog.js';
import { isNotFound } from '../../integrations/gitlab-errors.js';
import type { GitLab, Pipeline } from '../../integrations/gitlab.js';

export interface FoundPipeline {
  service: Service;
  project: string;
  pipeline: Pipeline;
}

/**
 * Which catalog project has this pipeline: GitLab pipeline ids are unique across an instance, so
 * at most one answers. Every project with a slug is asked at once; a 404 just means "not this one".
 */
export async function findPipeline(gitlab: GitLab, catalog: Catalog, pipelineId: number): Promise<FoundPipeline | undefined> {
  const candidates = catalog.services.filter((service): service is Service & { projectSlug: string } => Boolean(service.projectSlug));
  const answers = await Promise.all(
    candidates.map(async (service) => {
      try {
        return { service, project: service.projectSlug, pipeline: await gitlab.pipeline(service.projectSlug, pipelineId) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }),
  );
  return answers.find((answer) => answer !== undefined);
}

/** The service whose catalog project this is (case-insensitive, as GitLab paths are). */
export function serviceForProject(catalog: Catalog, project: string): Service | undefined {
  const wanted = project.toLowerCase();
  return catalog.services.find((service) => service.projectSlug?.toLowerCase() === wanted);
}
