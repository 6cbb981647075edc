import { afterEach, describe, expect, it } from 'vitest';
import { renderScaffold } from '../../src/actions/scaffold/render.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { API, createdCommit, createdProject, gitlab, namespace, project, useNock } from '../support/gitlab.js';
import { gitlabBot, type GitLabBot } from '../support/gitlab-bot.js';

const store = useEmbeddedStore();
useNock();

let env: GitLabBot;
afterEach(async () => env?.bot.close());

const ASK = 'scaffold ledger-api python-fastapi with postgres';

function planReads(): void {
  gitlab().get(`${API}/namespaces/acme`).reply(200, namespace());
  gitlab().get(project('acme/ledger-api')).reply(404, { message: '404 Project Not Found' });
}

describe('scaffold through GitLab', () => {
  it('creates the project and commits every file at once, then gives the URL and the catalog entry', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say(ASK);
    expect(request.summary.outcome).toBe('approval');
    expect(request.last.text).toBe('*Create ledger-api from python-fastapi with postgresql*');

    const bodies: Array<Record<string, unknown>> = [];
    gitlab()
      .post(`${API}/projects`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(201, createdProject('acme/ledger-api', 7));
    gitlab()
      .post(`${project('acme/ledger-api')}/repository/commits`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(201, createdCommit());
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');

    expect(bodies[0]).toMatchObject({ name: 'ledger-api', path: 'ledger-api', namespace_id: 2, default_branch: 'main' });
    const expected = renderScaffold({ name: 'ledger-api', template: 'python-fastapi', database: 'postgresql', namespace: 'acme', gitlabUrl: 'https://gitlab.test', environments: ['dev', 'staging', 'prod'] });
    expect(bodies[1]).toMatchObject({ branch: 'main', commit_message: 'Scaffold ledger-api from python-fastapi with postgresql (aiops)' });
    expect(bodies[1]!.actions).toEqual(expected.map((file) => ({ action: 'create', file_path: file.path, content: file.content })));

    const reply = click.last;
    expect(reply.text).toBe(`Created *acme/ledger-api* from python-fastapi with postgresql: ${expected.length} files in one commit. Its first pipeline (test, build) is starting.`);
    expect(reply.links?.[0]).toEqual({ label: 'acme/ledger-api', url: 'https://gitlab.test/acme/ledger-api' });
    const entry = reply.sections?.[0]?.lines.join('\n') ?? '';
    expect(entry).toContain('gitlab.com/project-slug: acme/ledger-api');
    expect(entry).toContain('name: ledger-api');
    const audit = await bot.app.store.audit.recent(10);
    expect(audit.find((item) => item.event === 'executed')?.detail).toContain('Created *acme/ledger-api*');
  });

  it('refuses a name taken in GitLab', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${API}/namespaces/acme`).reply(200, namespace());
    gitlab().get(project('acme/ledger-api')).reply(200, createdProject('acme/ledger-api'));
    const turn = await env.bot.as('dana').say(ASK);
    expect(turn.last.text).toBe('*acme/ledger-api* already exists in GitLab: https://gitlab.test/acme/ledger-api');
  });

  it('refuses a name taken in the catalog, and a name that is not kebab-case', async () => {
    env = await gitlabBot(store);
    expect((await env.bot.as('dana').say('scaffold payments go-gin')).last.text).toBe('A service called *payments* is already in the catalog.');
    expect((await env.bot.as('dana').say('scaffold Ledger_API go-gin')).summary.outcome).not.toBe('approval');
  });

  it('names a namespace GitLab does not have (404)', async () => {
    env = await gitlabBot(store);
    gitlab().get(`${API}/namespaces/acme`).reply(404, { message: '404 Namespace Not Found' });
    gitlab().get(project('acme/ledger-api')).reply(404, { message: '404 Project Not Found' });
    const turn = await env.bot.as('dana').say(ASK);
    expect(turn.last.text).toBe('GitLab has no namespace *acme* that the token can see.');
    expect(turn.last.context?.[0]).toContain('AIOPS_GITLAB_NAMESPACE');
  });

  it.each([
    [403, { message: '403 Forbidden' }, 'GitLab answered 403: the token lacks the api scope, or its user may not do this there.'],
    [500, { message: '500 Internal Server Error' }, 'GitLab answered 500: GitLab is having trouble (1 attempt).'],
  ])('says what went wrong when creating the project fails with %i', async (status, body, message) => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say(ASK);
    gitlab().post(`${API}/projects`).reply(status, body);
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe(message);
    expect((await bot.app.store.approvals.get(request.button('Approve').target))?.status).toBe('failed');
  });

  it('waits out a 429 on the commit, then commits', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say(ASK);
    gitlab().post(`${API}/projects`).reply(201, createdProject('acme/ledger-api', 7));
    gitlab().post(`${project('acme/ledger-api')}/repository/commits`).reply(429, { message: 'Retry later' }, { 'Retry-After': '1' });
    gitlab().post(`${project('acme/ledger-api')}/repository/commits`).reply(201, createdCommit());
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.summary.outcome).toBe('executed');
    expect(env.retryWaits).toEqual([1250]);
  });

  it('says the project is empty when the commit fails after it was created', async () => {
    env = await gitlabBot(store);
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say(ASK);
    gitlab().post(`${API}/projects`).reply(201, createdProject('acme/ledger-api', 7));
    gitlab().post(`${project('acme/ledger-api')}/repository/commits`).reply(400, { message: 'A file with this name already exists' });
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe(
      'Created https://gitlab.test/acme/ledger-api but could not commit its files: GitLab answered 400 for acme/ledger-api: it refused the request: A file with this name already exists.',
    );
    expect(click.last.context).toEqual(['The project is empty. Delete it in GitLab, then ask again.']);
  });

  it('stays honest in dry-run: the project and the files it would create, and nothing created', async () => {
    env = await gitlabBot(store, { dryRun: true });
    const { bot } = env;
    planReads();
    const request = await bot.as('dana').say(ASK);
    const click = await bot.as('dana').click(request.button('Approve'));
    expect(click.last.text).toBe('*Dry-run:* Create ledger-api from python-fastapi with postgresql. Nothing was changed (AIOPS_DRY_RUN=true).');
    const lines = click.last.sections?.[0]?.lines ?? [];
    expect(lines[0]).toBe('POST https://gitlab.test/api/v4/projects {"name":"ledger-api","path":"ledger-api","namespace_id":2,"default_branch":"main"}');
    expect(lines[1]).toContain('"file_path":".gitlab-ci.yml"');
  });
});
