import type { App } from './app.js';
import type { Platforms } from './bot/platforms.js';
import type { Readiness } from './http/ops-routes.js';
import type { HttpServer } from './http/server.js';
import type { Logger } from './log.js';

/** In-flight turns get this long to finish after SIGTERM (Kubernetes waits 30 s before SIGKILL). */
export const SHUTDOWN_BUDGET_MS = 10_000;

export interface ShutdownParts {
  log: Logger;
  app: App;
  http: HttpServer | undefined;
  platforms: Platforms;
  readiness: Readiness;
  /** periodic work holding leases (the alarm watcher, ...): stopped at once, in parallel with the turns */
  background: Array<{ stop(): Promise<void> }>;
  budgetMs?: number;
}

/**
 * The order matters: stop taking work (readiness says no, the listener closes, Socket Mode
 * disconnects), give in-flight and queued turns one shared budget to finish while background
 * work hands its leases back, flush what is queued for the platforms, then stop the tracker
 * (which releases its deployment leases, so another replica resumes them at once) and close
 * the store. Connections still open after that are closed.
 */
export async function shutDown(parts: ShutdownParts, reason: string): Promise<void> {
  const { log, app, http, platforms } = parts;
  const deadline = Date.now() + (parts.budgetMs ?? SHUTDOWN_BUDGET_MS);
  const left = (): number => Math.max(0, deadline - Date.now());
  log.info({ reason, inFlight: app.engine.inflightTurns, queued: platforms.turns.depth }, 'shutting down');

  parts.readiness.shuttingDown();
  const closing = http?.close();
  await platforms.stopReceiving();
  const [, idle] = await Promise.all([
    Promise.all(parts.background.map((work) => work.stop())),
    (async () => (await platforms.turns.idle(left())) && (await app.engine.drain(left())))(),
  ]);
  if (!idle) log.warn({ inFlight: app.engine.inflightTurns, queued: platforms.turns.depth }, `in-flight turns did not finish within ${Math.round((parts.budgetMs ?? SHUTDOWN_BUDGET_MS) / 1000)} s`);
  await platforms.close(left());
  await app.close();
  http?.server.closeAllConnections();
  await closing;
  log.info('stopped');
  log.flush?.();
}
