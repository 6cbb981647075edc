import { z } from 'zod';

/**
 * Every intent and its slots: the one source of truth for the grammar, the LLM tool
 * schema, the action registry and the eval. Slot values here are syntactic; whether a
 * service or environment exists is checked against the catalog afterwards.
 */

export const TEMPLATES = ['python-fastapi', 'nodejs-express', 'go-gin'] as const;
export const DATABASES = ['postgresql', 'dynamodb', 'none'] as const;
export const RECOVERY_ACTIONS = ['restart', 'scale', 'rollback', 'cleanup'] as const;
export const ROLES = ['viewer', 'developer', 'senior_dev', 'devops', 'admin'] as const;
export const STATUS_SUBJECTS = ['versions', 'deployments', 'pipelines', 'incidents', 'approvals', 'locks'] as const;

export type Role = (typeof ROLES)[number];
export type Template = (typeof TEMPLATES)[number];
export type Database = (typeof DATABASES)[number];
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'lowercase letters, digits and dashes' });
export const serviceSlot = slug.describe('service name from the catalog, e.g. payments');
export const environmentSlot = slug.describe('environment: dev, staging or prod (normalised)');
export const versionSlot = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-+/]{0,99}$/, { error: 'a tag, branch or commit sha' })
  .describe('a git tag, branch or commit sha, as written');
export const kebabName = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'lowercase kebab-case, e.g. billing-api' })
  .max(63);

export const intentSchemas = {
  deploy: z.object({
    service: serviceSlot,
    version: versionSlot.optional(),
    environment: environmentSlot,
    force: z.boolean().describe('the user explicitly asked to force past failed checks (admins only)').optional(),
  }),
  rollback: z.object({
    service: serviceSlot,
    environment: environmentSlot,
    version: versionSlot.optional(),
    force: z.boolean().describe('the user explicitly asked to force past failed checks (admins only)').optional(),
  }),
  scaffold: z.object({
    name: kebabName.describe('the new service name, lowercase kebab-case'),
    template: z.enum(TEMPLATES),
    database: z.enum(DATABASES).optional(),
  }),
  status: z.object({
    service: serviceSlot.optional(),
    environment: environmentSlot.optional(),
    subject: z.enum(STATUS_SUBJECTS).optional(),
  }),
  troubleshoot: z.object({
    service: serviceSlot.optional(),
    pipeline: z.string().regex(/^\d{1,12}$/).describe('a GitLab pipeline id').optional(),
  }),
  // applied from the "Apply suggested fix" button under a diagnosis; never recognised from text
  fix: z.object({
    service: serviceSlot,
    pipeline: z.string().regex(/^\d{1,12}$/).describe('a GitLab pipeline id'),
  }),
  recover: z.object({
    service: serviceSlot,
    action: z.enum(RECOVERY_ACTIONS),
    alarm: z.string().min(1).max(255).describe('the CloudWatch alarm name, if mentioned').optional(),
    environment: environmentSlot.optional(),
  }),
  help: z.object({ topic: z.string().max(40).optional() }),
  whoami: z.object({}),
  grant: z.object({ user: z.string().min(1).max(100), role: z.enum(ROLES) }),
  revoke: z.object({ user: z.string().min(1).max(100) }),
  lock: z.object({ service: serviceSlot, environment: environmentSlot, reason: z.string().max(300).optional() }),
  unlock: z.object({ service: serviceSlot, environment: environmentSlot }),
  audit: z.object({ limit: z.number().int().min(1).max(200).optional() }),
  unknown: z.object({}),
} as const;

export type IntentName = keyof typeof intentSchemas;
export const INTENT_NAMES = Object.keys(intentSchemas) as IntentName[];

export type Slots<N extends IntentName> = z.infer<(typeof intentSchemas)[N]>;
export type Intent = { [N in IntentName]: { name: N; slots: Slots<N> } }[IntentName];

/** What the user actually said, before validation: slot values as strings (or numbers). */
export type RawSlots = Record<string, string | number | boolean>;

/** Required slots per intent, derived from the schemas so they cannot drift. */
export function requiredSlots(name: IntentName): string[] {
  const shape = intentSchemas[name].shape as Record<string, z.ZodType>;
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([slot]) => slot);
}

export function slotNames(name: IntentName): string[] {
  return Object.keys(intentSchemas[name].shape);
}

export type SlotCheck =
  | { ok: true; intent: Intent }
  | { ok: false; missing: string[]; invalid: Array<{ slot: string; value: unknown; message: string }> };

/** Validate raw slots for an intent: which required ones are missing, which values are malformed. */
export function checkSlots(name: IntentName, raw: RawSlots): SlotCheck {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const missing = requiredSlots(name).filter((slot) => !(slot in present));
  const parsed = intentSchemas[name].safeParse(present);
  if (parsed.success && missing.length === 0) {
    return { ok: true, intent: { name, slots: parsed.data } as Intent };
  }
  const invalid = parsed.success
    ? []
    : parsed.error.issues
        .filter((issue) => issue.path.length > 0 && String(issue.path[0]) in present)
        .map((issue) => ({ slot: String(issue.path[0]), value: present[String(issue.path[0])], message: issue.message }));
  return { ok: false, missing, invalid };
}

export function isIntentName(value: string): value is IntentName {
  return (INTENT_NAMES as string[]).includes(value);
}
