// MissThrottle: an address is turned away after its limit of misses in the window, until the oldest
// ages out; addresses are counted apart, and memory stays bounded under a flood of addresses.
import { MissThrottle } from '#functions/reveal/miss-throttle';

const T = 1_700_000_000_000;

describe('MissThrottle', () => {
  it('lets an address miss up to the limit, then says how long to wait', () => {
    const throttle = new MissThrottle({ limit: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('1.1.1.1', T + i * 1000)).toBeUndefined();
      throttle.recordMiss('1.1.1.1', T + i * 1000);
    }
    expect(throttle.retryAfterSeconds('1.1.1.1', T + 3000)).toBe(57);
    expect(throttle.retryAfterSeconds('2.2.2.2', T + 3000)).toBeUndefined();
    // The first miss ages out after 60 s: one more try, then the wait is measured from the second.
    expect(throttle.retryAfterSeconds('1.1.1.1', T + 60_001)).toBeUndefined();
    throttle.recordMiss('1.1.1.1', T + 60_001);
    expect(throttle.retryAfterSeconds('1.1.1.1', T + 60_002)).toBe(1);
    expect(throttle.retryAfterSeconds('1.1.1.1', T + 123_000)).toBeUndefined();
  });

  it('never waits less than a second', () => {
    const throttle = new MissThrottle({ limit: 1, windowSeconds: 1 });
    throttle.recordMiss('a', T);
    expect(throttle.retryAfterSeconds('a', T + 999)).toBe(1);
  });

  it('forgets the stalest addresses past maxKeys, never the one that just missed', () => {
    const throttle = new MissThrottle({ limit: 1, windowSeconds: 300, maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) throttle.recordMiss(key, T);
    expect(throttle.retryAfterSeconds('a', T)).toBeUndefined();
    expect(throttle.retryAfterSeconds('b', T)).toBeDefined();
    expect(throttle.retryAfterSeconds('c', T)).toBeDefined();
  });
});
