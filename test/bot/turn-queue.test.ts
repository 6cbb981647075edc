import { describe, expect, it, vi } from 'vitest';
import { TurnQueue } from '../../src/bot/turn-queue.js';

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('TurnQueue', () => {
  it('runs at most N turns at once, the rest in arrival order, and refuses beyond the line', async () => {
    const queue = new TurnQueue({ concurrency: 2, maxWaiting: 2 });
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

describe('TurnQueue: acks first', () => {
  it('starts no new turn while a request waits to be acked, and starts it once the ack is out', async () => {
    const queue = new TurnQueue({ concurrency: 4 });
    const started: string[] = [];
    const answered = queue.ackStarted();
    const turn = queue.run(async () => {
      started.push('turn');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([]);
    expect(queue.depth).toBe(1);
    answered();
    answered(); // answering twice (finish and close) counts once
    expect(await turn).toBe(true);
    expect(started).toEqual(['turn']);
    // with nothing to ack, a turn starts at once
    const second = queue.run(async () => {
      started.push('second');
    });
    await Promise.resolve();
    expect(started).toEqual(['turn', 'second']);
    await second;
  });

  it('lets turns already running go on while acks wait', async () => {
    const queue = new TurnQueue({ concurrency: 4 });
    const gate = deferred();
    let finished = false;
    const running = queue.run(async () => {
      await gate.promise;
      finished = true;
    });
    await Promise.resolve();
    const answered = queue.ackStarted();
    gate.resolve();
    await running;
    expect(finished).toBe(true);
    answered();
  });

  it('gives way to acks for at most ackPriorityMs, so a flood cannot starve turns', async () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const queue = new TurnQueue({ concurrency: 4, ackPriorityMs: 1000, now: () => now });
      queue.ackStarted(); // an ack that never finishes (a stuck connection)
      const started: string[] = [];
      const turn = queue.run(async () => {
        started.push('turn');
      });
      now = 999;
      await vi.advanceTimersByTimeAsync(999);
      expect(started).toEqual([]);
      now = 1000;
      await vi.advanceTimersByTimeAsync(1);
      expect(started).toEqual(['turn']);
      expect(await turn).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
