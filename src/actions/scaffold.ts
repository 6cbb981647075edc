import { UserError } from '../errors.js';
import type { Template } from '../intents/schema.js';
import { encodeProject } from './common.js';
import { defineAction, plan } from './define.js';
import { dryRunReason, dryRunReply } from './render.js';

const SOURCE_FILES: Record<Template, string[]> = {
  'python-fastapi': ['app/main.py', 'app/__init__.py', 'tests/test_health.py', 'requirements.txt'],
  'nodejs-express': ['src/app.js', 'src/server.js', 'test/health.test.js', 'package.json'],
  'go-gin': ['main.go', 'main_test.go', 'go.mod'],
};
const COMMON_FILES = ['Dockerfile', '.gitlab-ci.yml', 'k8s/deployment.yaml', 'k8s/service.yaml', 'catalog-info.yaml', 'README.md'];

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
    const files = [...SOURCE_FILES[slots.template], ...COMMON_FILES];
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
        `Commit ${files.length} files in one commit: ${files.join(', ')}`,
        'Reply with the project URL and the catalog entry to add',
      ],
      calls: [
        { system: 'gitlab', method: 'GET', path: `/namespaces/${encodeProject(namespace)}` },
        { system: 'gitlab', method: 'POST', path: '/projects', body: { name: slots.name, path: slots.name, namespace_id: `<id of ${namespace}>` } },
        {
          system: 'gitlab',
          method: 'POST',
          path: `/projects/${encodeProject(project)}/repository/commits`,
          body: { branch: 'main', commit_message: `Scaffold ${slots.name} from ${slots.template}`, actions: files.map((file_path) => ({ action: 'create', file_path })) },
        },
      ],
      data: { name: slots.name, template: slots.template, database, project, namespace },
    });
  },
  async execute(planned, ctx) {
    return dryRunReply(planned, ctx.settings, dryRunReason(ctx.integrations));
  },
});
