import { auditAction } from './audit.js';
import { deployAction } from './deploy.js';
import { fixAction } from './fix.js';
import { grantAction } from './grant.js';
import { helpAction } from './help.js';
import { lockAction } from './lock.js';
import { recoverAction } from './recover.js';
import { withRecoveryGuards } from './recovery-guard.js';
import { ActionRegistry } from './registry.js';
import type { RegisteredAction } from './types.js';
import { revokeAction } from './revoke.js';
import { rollbackAction } from './rollback.js';
import { scaffoldAction } from './scaffold.js';
import { statusAction } from './status.js';
import { troubleshootAction } from './troubleshoot.js';
import { unlockAction } from './unlock.js';
import { whoamiAction } from './whoami.js';

export const ALL_ACTIONS = [
  deployAction,
  withRecoveryGuards(rollbackAction),
  scaffoldAction,
  statusAction,
  troubleshootAction,
  withRecoveryGuards(recoverAction),
  helpAction,
  whoamiAction,
  grantAction,
  revokeAction,
  lockAction,
  unlockAction,
  auditAction,
  fixAction,
];

/** `wrap` decorates every action (the app times executions for its metrics). */
export const createRegistry = (wrap: (action: RegisteredAction) => RegisteredAction = (action) => action): ActionRegistry =>
  new ActionRegistry(ALL_ACTIONS.map(wrap));
