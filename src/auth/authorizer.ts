import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newEnforcer, newModelFromString, StringAdapter, type Enforcer } from 'casbin';
import { ROLES, type Role } from '../intents/schema.js';
import type { RoleStore } from '../sessions/roles.js';

export const ROLE_ORDER: readonly Role[] = ROLES;
export const NO_ENVIRONMENT = '-';
export const APPROVE = 'approve';

const MODEL_PATH = fileURLToPath(new URL('./model.conf', import.meta.url));
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('./policy.csv', import.meta.url));

export class PolicyError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`policy ${path} is invalid (AIOPS_POLICY):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** How long a looked-up role is trusted before it is read again (grant/revoke here forget at once). */
const ROLE_CACHE_MS = 5_000;

export interface AuthorizerOptions {
  roles: RoleStore;
  /** for the role cache; tests pass their manual clock */
  now?: () => number;
  admins: readonly string[];
  /** every action name the registry knows; the policy may not name others */
  actions: readonly string[];
  policyPath?: string;
}

/**
 * The one choke point for "may this person do this": casbin over (role, action, environment),
 * deny by default. Roles live in DynamoDB; AIOPS_ADMINS are admins whatever the store says;
 * everyone else is a viewer until an admin grants more.
 */
export class Authorizer {
  /** the policy is fixed for the life of the process, so every answer can be kept */
  private readonly decisions = new Map<string, boolean>();
  private readonly roleCache = new Map<string, { role: Role; until: number }>();

  private constructor(
    private readonly enforcer: Enforcer,
    private readonly roles: RoleStore,
    private readonly admins: ReadonlySet<string>,
    private readonly now: () => number,
  ) {}

  static async create(options: AuthorizerOptions): Promise<Authorizer> {
    const path = options.policyPath ?? DEFAULT_POLICY_PATH;
    let policy: string;
    try {
      policy = readFileSync(path, 'utf8');
    } catch (error) {
      throw new PolicyError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
    checkPolicy(path, policy, options.actions);
    const enforcer = await newEnforcer(newModelFromString(readFileSync(MODEL_PATH, 'utf8')), new StringAdapter(policy));
    return new Authorizer(enforcer, options.roles, new Set(options.admins), options.now ?? Date.now);
  }

  async roleOf(user: string): Promise<Role> {
    if (this.admins.has(user)) return 'admin';
    const cached = this.roleCache.get(user);
    if (cached && cached.until > this.now()) return cached.role;
    const record = await this.roles.get(user);
    const role = record && (ROLES as readonly string[]).includes(record.role) ? (record.role as Role) : 'viewer';
    if (this.roleCache.size > 10_000) this.roleCache.clear();
    this.roleCache.set(user, { role, until: this.now() + ROLE_CACHE_MS });
    return role;
  }

  /** After a grant or revoke on this replica: the next lookup reads the store. */
  forget(user: string): void {
    this.roleCache.delete(user);
  }

  isBootstrapAdmin(user: string): boolean {
    return this.admins.has(user);
  }

  async can(role: Role, action: string, environment?: string): Promise<boolean> {
    const key = `${role}\u0000${action}\u0000${environment ?? NO_ENVIRONMENT}`;
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const allowed = await this.enforcer.enforce(role, action, environment ?? NO_ENVIRONMENT);
    if (this.decisions.size < 100_000) this.decisions.set(key, allowed);
    return allowed;
  }

  /** The least role that may run the action in the environment, for refusal messages. */
  async leastRoleFor(action: string, environment?: string): Promise<Role | undefined> {
    for (const role of ROLE_ORDER) {
      if (await this.can(role, action, environment)) return role;
    }
    return undefined;
  }
}

function checkPolicy(path: string, policy: string, actions: readonly string[]): void {
  const known = new Set([...actions, APPROVE]);
  const problems: string[] = [];
  policy.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(',').map((field) => field.trim());
    const where = `line ${index + 1}`;
    if (fields[0] === 'p') {
      const [, role, action, environment] = fields;
      if (fields.length !== 4) problems.push(`${where}: expected "p, role, action, environment", got "${line}"`);
      if (role && !(ROLES as readonly string[]).includes(role)) problems.push(`${where}: unknown role "${role}" (roles: ${ROLES.join(', ')})`);
      if (action && !known.has(action)) problems.push(`${where}: unknown action "${action}" (actions: ${[...known].join(', ')})`);
      if (environment === '') problems.push(`${where}: missing environment (use * for any)`);
    } else if (fields[0] === 'g') {
      if (fields.length !== 3) problems.push(`${where}: expected "g, role, inherited role", got "${line}"`);
      for (const role of fields.slice(1)) {
        if (!(ROLES as readonly string[]).includes(role)) problems.push(`${where}: unknown role "${role}"`);
      }
    } else {
      problems.push(`${where}: lines start with p or g, got "${line}"`);
    }
  });
  if (problems.length > 0) throw new PolicyError(path, problems);
}
