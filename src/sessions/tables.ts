/**
 * Every DynamoDB table aiops uses, declared once. `aiops init-tables`, the embedded
 * default and the deploy/ template are all derived from (or checked against) this list.
 */

export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey?: string;
}

export interface TableSpec {
  /** logical name; the physical name is prefix + logical name */
  name: string;
  partitionKey: string;
  sortKey?: string;
  indexes?: IndexSpec[];
  /** epoch-seconds attribute after which DynamoDB may delete the item */
  ttlAttribute?: string;
  purpose: string;
}

export const TABLES = {
  threads: {
    name: 'threads',
    partitionKey: 'pk',
    ttlAttribute: 'expiresAt',
    purpose: 'thread sessions: last 10 turns, pending clarification, last intent (24 h)',
  },
  approvals: {
    name: 'approvals',
    partitionKey: 'id',
    ttlAttribute: 'purgeAt',
    indexes: [
      { name: 'byService', partitionKey: 'service', sortKey: 'createdAt' },
      // sparse: pendingKey exists only while an approval is pending, so one query lists them all
      { name: 'pending', partitionKey: 'pendingKey', sortKey: 'createdAt' },
    ],
    purpose: 'approvals: pending -> approved | rejected | expired -> executed | failed',
  },
  audit: {
    name: 'audit',
    partitionKey: 'day',
    sortKey: 'sk',
    indexes: [{ name: 'byActor', partitionKey: 'actor', sortKey: 'sk' }],
    purpose: 'append-only audit trail, by day and by actor',
  },
  roles: {
    name: 'roles',
    partitionKey: 'user',
    purpose: 'role of each chat user (platform:id)',
  },
  keys: {
    name: 'keys',
    partitionKey: 'key',
    ttlAttribute: 'expiresAt',
    purpose: 'once-only claims: event dedup, cooldowns, leases, auto-fix claims',
  },
  locks: {
    name: 'locks',
    partitionKey: 'target',
    purpose: 'deploy locks per service and environment',
  },
  deployments: {
    name: 'deployments',
    partitionKey: 'id',
    indexes: [
      { name: 'byTarget', partitionKey: 'target', sortKey: 'startedAt' },
      { name: 'byService', partitionKey: 'service', sortKey: 'startedAt' },
      { name: 'byTracking', partitionKey: 'tracking', sortKey: 'startedAt' },
    ],
    purpose: 'every deployment, rollback and recovery pipeline, with its tracking state',
  },
  incidents: {
    name: 'incidents',
    partitionKey: 'id',
    indexes: [
      { name: 'byService', partitionKey: 'service', sortKey: 'openedAt' },
      { name: 'byAlarm', partitionKey: 'alarm', sortKey: 'openedAt' },
      // sparse: only open incidents carry `open`, so the watcher lists them without a scan
      { name: 'byOpen', partitionKey: 'open', sortKey: 'openedAt' },
    ],
    purpose: 'incidents opened by CloudWatch alarms, and how they were resolved',
  },
  conversations: {
    name: 'conversations',
    partitionKey: 'key',
    purpose: 'Teams conversation references and notifier targets, for proactive messages',
  },
  autofixes: {
    name: 'autofixes',
    partitionKey: 'id',
    ttlAttribute: 'purgeAt',
    indexes: [
      // sparse: only fixes whose new pipeline has not finished carry `watch` / `watching`
      { name: 'byWatch', partitionKey: 'watch', sortKey: 'createdAt' },
      { name: 'byWatching', partitionKey: 'watching', sortKey: 'createdAt' },
    ],
    purpose: 'auto-fixes: one item per pipeline x job x fix (the once-only claim), what was done, and the outcome watched',
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export type TableNames = Record<TableName, string>;

export function physicalNames(prefix: string): TableNames {
  return Object.fromEntries(Object.entries(TABLES).map(([key, spec]) => [key, `${prefix}${spec.name}`])) as TableNames;
}
