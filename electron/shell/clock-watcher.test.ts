// The clock watcher with clocks the test moves by hand.
import { describe, expect, it } from 'vitest';
import { type ClockChange, ClockWatcher } from './clock-watcher.ts';

function rig() {
  const t = { wall: Date.UTC(2027, 0, 10, 12), monotonic: 1_000, zone: 'Europe/Berlin -60' };
  const changes: ClockChange[] = [];
  let tick: (() => void) | null = null;
  let cleared = false;
  const watcher = new ClockWatcher({
    onChange: (c) => changes.push(c),
    wallNow: () => t.wall,
    monotonicNow: () => t.monotonic,
    timeZone: () => t.zone,
    setInterval: (fn) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      cleared = true;
    },
  });
  const pass = (ms: number): void => {
    t.wall += ms;
    t.monotonic += ms;
  };
  return { t, changes, watcher, pass, tick: () => tick?.(), isCleared: () => cleared };
}

describe('ClockWatcher', () => {
  it('says nothing while both clocks move together, even with a late timer', () => {
    const r = rig();
    r.watcher.start();
    r.pass(60_000);
    r.tick();
    r.pass(90_000);
    r.tick();
    expect(r.changes).toEqual([]);
  });

  it('reports the clock set forward or back by more than the tolerance, once', () => {
    const r = rig();
    r.watcher.start();
    r.pass(60_000);
    r.t.wall += 3 * 60 * 60_000;
    r.tick();
    r.pass(60_000);
    r.tick();
    r.t.wall -= 2 * 24 * 60 * 60_000;
    r.tick();
    expect(r.changes).toEqual(['clock', 'clock']);
  });

  it('reports a time-zone change', () => {
    const r = rig();
    r.watcher.start();
    r.pass(60_000);
    r.t.zone = 'America/New_York 300';
    r.tick();
    r.pass(60_000);
    r.tick();
    expect(r.changes).toEqual(['time-zone']);
  });

  it('stops its timer', () => {
    const r = rig();
    r.watcher.start();
    r.watcher.stop();
    expect(r.isCleared()).toBe(true);
  });
});
