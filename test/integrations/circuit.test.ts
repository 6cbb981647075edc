import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/integrations/circuit.js';
import { captureLogs } from '../support/log-capture.js';

function breaker() {
  let now = 0;
  const logs = captureLogs([]);
  const circuit = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, now: () => now, name: 'Dep', log: logs.log, meanwhile: 'falling back' });
  return { circuit, logs, at: (ms: number) => (now = ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N failures in a row, and a success in between starts the count again', () => {
    const { circuit, logs } = breaker();
    circuit.failed('500 answers');
    circuit.failed('500 answers');
    circuit.succeeded();
    circuit.failed('500 answers');
    circuit.failed('500 answers');
    expect(circuit.state).toBe('closed');
    circuit.failed('timeouts');
    expect(circuit.state).toBe('open');
    expect(circuit.tryAcquire()).toBe(false);
    expect(circuit.lastProblem).toBe('timeouts');
    expect(logs.text()).toContain('Dep skipped for 10 s: 3 consecutive failures (timeouts); falling back');
  });

  it('lets exactly one trial through after the cool-down: success closes, failure reopens at once', () => {
    const { circuit, logs, at } = breaker();
    for (let i = 0; i < 3; i += 1) circuit.failed('500 answers');
    at(9_999);
    expect(circuit.remainingMs()).toBe(1);
    at(10_000);
    expect(circuit.state).toBe('half-open');
    expect(circuit.refusing).toBe(false);
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.refusing).toBe(true);
    expect(circuit.tryAcquire()).toBe(false); // a second caller while the trial is out
    circuit.failed('500 answers');
    expect(circuit.state).toBe('open');
    at(20_000);
    expect(circuit.tryAcquire()).toBe(true);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.tryAcquire()).toBe(true);
    expect(logs.text()).toContain('Dep answered again; circuit closed');
  });

  it('stays away as long as a dependency asks, and a shorter request never cuts that short', () => {
    const { circuit, at } = breaker();
    circuit.pause(60_000, '429 with retry-after');
    circuit.pause(5_000, '429 with retry-after');
    at(59_999);
    expect(circuit.state).toBe('open');
    at(60_000);
    expect(circuit.tryAcquire()).toBe(true);
  });
});
