import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../src/bot/turn-queue.js';

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('TurnQueue', () => {
  it('runs at most N turns at once, the rest in arrival order, and refuses beyond the line', async () => {
    const queue = new TurnQueue(2, 2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const runs = gates.map((gate, index) =>
      queue.run(async () => {
        started.push(index);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(await queue.run(async () => undefined)).toBe(false);
    gates[1]!.resolve();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([true, true, true, true]);
    expect(queue.depth).toBe(0);
  });
});
