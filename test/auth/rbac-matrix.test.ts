import { describe, expect, it, beforeAll } from 'vitest';
import { createRegistry } from '../../src/actions/index.js';
import { Authorizer, PolicyError } from '../../src/auth/authorizer.js';
import { approvalPolicyFor, mayDecide } from '../../src/auth/decider.js';
import { ROLES, type Role } from '../../src/intents/schema.js';
import type { RoleStore } from '../../src/sessions/roles.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const rank = (role: Role): number => ROLES.indexOf(role);

/** The default policy as the foundation issue states it, written independently of policy.csv. */
function expected(role: Role, action: string, environment: string): boolean {
  switch (action) {
    case 'status':
    case 'troubleshoot':
    case 'help':
    case 'whoami':
      return true;
    case 'scaffold':
      return rank(role) >= rank('developer');
    case 'fix':
      // a job retry or a merge request on a new branch: what a developer does in GitLab anyway
      return rank(role) >= rank('developer');
    case 'deploy':
    case 'rollback':
      if (environment === 'dev') return rank(role) >= rank('developer');
      if (environment === 'staging') return rank(role) >= rank('senior_dev');
      return rank(role) >= rank('devops');
    case 'recover':
      return rank(role) >= rank('devops');
    case 'grant':
    case 'revoke':
    case 'lock':
    case 'unlock':
    case 'audit':
      return role === 'admin';
    default:
      throw new Error(`no expectation for ${action}`);
  }
}

const noRoles = { get: async () => undefined } as unknown as RoleStore;
let authorizer: Authorizer;
const actions = createRegistry().names();

beforeAll(async () => {
  authorizer = await Authorizer.create({ roles: noRoles, admins: ['slack:UADMIN'], actions });
});

describe('the default policy', () => {
  const cases = ROLES.flatMap((role) => actions.flatMap((action) => ENVIRONMENTS.map((environment) => [role, action, environment] as const)));

  it.each(cases)('%s may %s in %s as the issue says', async (role, action, environment) => {
    expect(await authorizer.can(role, action, environment)).toBe(expected(role, action, environment));
  });

  it('denies what it does not mention (deny by default)', async () => {
    expect(await authorizer.can('admin', 'deploy', 'qa')).toBe(false);
    expect(await authorizer.can('devops', 'approve', 'staging')).toBe(false);
  });

  it('makes unknown users viewers and AIOPS_ADMINS admins', async () => {
    expect(await authorizer.roleOf('slack:UNOBODY')).toBe('viewer');
    expect(await authorizer.roleOf('slack:UADMIN')).toBe('admin');
  });
});

describe('approvals', () => {
  it('are four-eyes in prod and self-confirmed elsewhere', () => {
    expect(approvalPolicyFor('prod', ['prod'])).toBe('four-eyes');
    expect(approvalPolicyFor('staging', ['prod'])).toBe('self');
    expect(approvalPolicyFor(undefined, ['prod'])).toBe('self');
  });

  const prodDeploy = { action: 'deploy', environment: 'prod', policy: 'four-eyes' as const, requester: 'slack:UREQ' };

  it('refuse the requester approving their own prod change, but let them cancel it', async () => {
    expect((await mayDecide(authorizer, prodDeploy, { key: 'slack:UREQ', role: 'admin' }, 'approve')).ok).toBe(false);
    expect((await mayDecide(authorizer, prodDeploy, { key: 'slack:UREQ', role: 'admin' }, 'reject')).ok).toBe(true);
  });

  it.each(ROLES)('in prod need devops or above from another person (%s)', async (role) => {
    const check = await mayDecide(authorizer, prodDeploy, { key: 'slack:UOTHER', role }, 'approve');
    expect(check.ok).toBe(rank(role) >= rank('devops'));
  });

  it('in staging accept the requester, or someone who could run it there', async () => {
    const stagingDeploy = { action: 'deploy', environment: 'staging', policy: 'self' as const, requester: 'slack:UREQ' };
    expect((await mayDecide(authorizer, stagingDeploy, { key: 'slack:UREQ', role: 'senior_dev' }, 'approve')).ok).toBe(true);
    expect((await mayDecide(authorizer, stagingDeploy, { key: 'slack:UDEV', role: 'developer' }, 'approve')).ok).toBe(false);
    expect((await mayDecide(authorizer, stagingDeploy, { key: 'slack:UOPS', role: 'devops' }, 'approve')).ok).toBe(true);
  });
});

describe('a replacement policy (AIOPS_POLICY)', () => {
  const write = (text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'aiops-policy-')), 'policy.csv');
    writeFileSync(path, text);
    return path;
  };

  it('is used instead of the default', async () => {
    const custom = await Authorizer.create({ roles: noRoles, admins: [], actions, policyPath: write('p, viewer, deploy, dev\n') });
    expect(await custom.can('viewer', 'deploy', 'dev')).toBe(true);
    expect(await custom.can('viewer', 'status')).toBe(false);
  });

  it('is refused at start when it names an unknown action or role, with the line', async () => {
    const path = write('p, viewer, status, *\np, wizard, deploy, prod\np, devops, destroy, prod\n');
    const creation = Authorizer.create({ roles: noRoles, admins: [], actions, policyPath: path });
    await expect(creation).rejects.toBeInstanceOf(PolicyError);
    await expect(creation).rejects.toThrow(/line 2: unknown role "wizard"[\s\S]*line 3: unknown action "destroy"/);
  });
});
