import type { Logger } from '../log.js';
import type { Engine } from './engine.js';
import type { Reply } from './reply.js';
import type { Responder, Turn } from './turn.js';
import type { TurnQueue } from './turn-queue.js';

export const BUSY_REPLY: Reply = { text: 'aiops is overloaded right now and did not handle this; please try again in a minute.', tone: 'warning' };

type TurnDeps = { engine: Engine; turns: TurnQueue; log: Logger };

/** A turn ready for the engine, or undefined when what arrived turns out to need no answer. */
export type PreparedTurn = { turn: Turn; responder: Responder; finish?: () => Promise<void> } | undefined;

/** Runs a turn through the queue; a turn the queue refuses gets a "busy" answer instead of silence. */
export async function runTurn(deps: TurnDeps, turn: Turn, responder: Responder): Promise<void> {
  await queueTurn(deps, async () => ({ turn, responder }), (reply) => responder.post(reply), turn.eventId);
}

/**
 * Like runTurn, for adapters with work to do before the engine (name lookups, a root message to
 * thread under): `prepare` runs in the turn's slot as well, so only the ack happens before the
 * queue lets the turn start.
 */
export async function queueTurn(deps: TurnDeps, prepare: () => Promise<PreparedTurn>, sayBusy: (reply: Reply) => Promise<unknown>, eventId: string): Promise<void> {
  const accepted = await deps.turns.run(async () => {
    let prepared: PreparedTurn;
    try {
      prepared = await prepare();
      if (!prepared) return;
      const summary = await deps.engine.handle(prepared.turn, prepared.responder);
      deps.log.debug({ eventId, ...summary }, 'turn done');
    } catch (error) {
      deps.log.error({ err: error, eventId }, 'turn failed');
    } finally {
      // the slash command's "Working on…" root must not stay behind, whatever happened to the turn
      await prepared?.finish?.().catch((error: unknown) => deps.log.warn({ err: error, eventId }, 'could not finish the turn'));
    }
  });
  if (accepted) return;
  deps.log.warn({ eventId, depth: deps.turns.depth }, 'turn refused: too many waiting');
  await sayBusy(BUSY_REPLY).catch((error: unknown) => deps.log.warn({ err: error }, 'could not say busy'));
}
