import { z } from 'zod';
import { UserError } from '../errors.js';
import { isGitLabError } from '../integrations/gitlab-errors.js';
import { DATABASES, kebabName, TEMPLATES } from '../intents/schema.js';
import { encodeProject } from './common.js';
import { defineAction, plan } from './define.js';
import { live } from './pipelines/run.js';
import { dryRunReason, dryRunReply } from './render.js';
import { renderScaffold, type RenderedFile, type ScaffoldInput } from './scaffold/render.js';
import type { ActionContext, PlannedCall } from './types.js';

const BRANCH = 'main';

const scaffoldData = z.object({
  name: kebabName,
  template: z.enum(TEMPLATES),
  database: z.enum(DATABASES),
  namespace: z.string(),
  namespaceId: z.number().int().nullable(),
  project: z.string(),
});
type ScaffoldData = z.infer<typeof scaffoldData>;

function inputFor(data: Pick<ScaffoldData, 'name' | 'template' | 'database' | 'namespace'>, ctx: ActionContext): ScaffoldInput {
  return { ...data, gitlabUrl: ctx.settings.gitlabUrl ?? 'https://gitlab.example.com', environments: ctx.settings.envOrder };
}

function callsFor(data: ScaffoldData, files: RenderedFile[]): PlannedCall[] {
  return [
    {
      system: 'gitlab',
      method: 'POST',
      path: '/projects',
      body: { name: data.name, path: data.name, namespace_id: data.namespaceId ?? `<id of ${data.namespace}>`, default_branch: BRANCH },
    },
    {
      system: 'gitlab',
      method: 'POST',
      path: `/projects/${encodeProject(data.project)}/repository/commits`,
      body: {
        branch: BRANCH,
        commit_message: commitMessage(data),
        // the contents are rendered from the templates at execution; dry-run shows their size
        actions: files.map((file) => ({ action: 'create', file_path: file.path, content: `<${Buffer.byteLength(file.content)} bytes>` })),
      },
    },
  ];
}

const commitMessage = (data: Pick<ScaffoldData, 'name' | 'template' | 'database'>): string =>
  `Scaffold ${data.name} from ${data.template}${data.database === 'none' ? '' : ` with ${data.database}`} (aiops)`;

export const scaffoldAction = defineAction('scaffold', {
  title: 'Scaffold',
  summary: 'create a new service from a template, with CI, Kubernetes manifests and a catalog entry',
  usage: 'scaffold <name> <python-fastapi|nodejs-express|go-gin> [postgresql|dynamodb|none]',
  examples: ['create a new service called billing-api in python with postgres', 'scaffold order-events go dynamodb'],
  mutates: true,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    if (ctx.catalog.get(slots.name)) {
      throw new UserError(`A service called *${slots.name}* is already in the catalog.`, 'Pick another name.');
    }
    const database = slots.database ?? 'none';
    const namespace = ctx.settings.gitlabNamespace ?? 'aiops';
    const project = `${namespace}/${slots.name}`;
    const gitlab = ctx.integrations.gitlab;
    let namespaceId: number | null = null;
    if (gitlab) {
      const [found, existing] = await Promise.all([gitlab.namespace(namespace), gitlab.project(project)]);
      if (existing) throw new UserError(`*${project}* already exists in GitLab: ${existing.web_url}`, 'Pick another name.');
      namespaceId = found.id;
    }
    const data: ScaffoldData = { name: slots.name, template: slots.template, database, namespace, namespaceId, project };
    const files = renderScaffold(inputFor(data, ctx));
    return plan({
      action: 'scaffold',
      summary: `Create ${slots.name} from ${slots.template}${database === 'none' ? '' : ` with ${database}`}`,
      risk: 'low',
      approval: 'required',
      fields: [
        { label: 'Template', value: slots.template },
        { label: 'Database', value: slots.database ? database : 'none (say "with postgres" or "with dynamodb" to add one)' },
        { label: 'Project', value: project },
      ],
      steps: [
        `Create the GitLab project ${project}`,
        `Commit ${files.length} files in one commit on ${BRANCH}: ${files.map((file) => file.path).join(', ')}`,
        'Reply with the project URL and the catalog entry to add',
      ],
      calls: [
        ...(gitlab ? [] : [{ system: 'gitlab' as const, method: 'GET', path: `/namespaces/${encodeProject(namespace)}` }]),
        ...callsFor(data, files),
      ],
      data,
    });
  },
  async execute(planned, ctx) {
    const running = live(ctx);
    if (!running) return dryRunReply(planned, ctx.settings, dryRunReason(ctx.integrations));
    const data = scaffoldData.parse(planned.data);
    if (data.namespaceId === null) throw new UserError('This plan was made while GitLab was not configured; ask again.');
    const files = renderScaffold(inputFor(data, ctx));
    const created = await running.gitlab.createProject({ name: data.name, namespaceId: data.namespaceId, description: `${planned.summary}, by aiops` });
    ctx.log.info({ project: created.path_with_namespace, id: created.id }, 'project created');
    let commitUrl: string | undefined;
    try {
      const commit = await running.gitlab.commitFiles(created.path_with_namespace, BRANCH, commitMessage(data), files);
      commitUrl = commit.web_url ?? undefined;
    } catch (error) {
      const why = isGitLabError(error) ? error.message : 'the commit failed';
      throw new UserError(
        `Created ${created.web_url} but could not commit its files: ${why}`,
        'The project is empty. Delete it in GitLab, then ask again.',
      );
    }
    const catalogEntry = files.find((file) => file.path === 'catalog-info.yaml')!.content.trimEnd();
    return {
      text: `Created *${created.path_with_namespace}* from ${data.template}${data.database === 'none' ? '' : ` with ${data.database}`}: ${files.length} files in one commit. Its first pipeline (test, build) is starting.`,
      tone: 'success',
      links: [{ label: created.path_with_namespace, url: created.web_url }, ...(commitUrl ? [{ label: 'The commit', url: commitUrl }] : [])],
      sections: [{ title: 'Add this entry to the service catalog (AIOPS_CATALOG), then deploy with aiops', lines: ['---', ...catalogEntry.split('\n')] }],
      context: ['Set spec.owner to the owning team. The deploy job needs a Kubernetes context (see the README).'],
    };
  },
});
