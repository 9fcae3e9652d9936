import { budgetSpent, budgetVerdict, SourceBlocklist } from '../../../src/common/source-rate-limit';

describe('budgetVerdict', () => {
  it('allows while the storage counted the hit', () => {
    expect(budgetVerdict({ totalHits: 7, isBlocked: false, timeToBlockExpire: 0 })).toEqual({ allowed: true });
  });

  it('refuses past the budget until the oldest hit leaves the window, never with a zero Retry-After', () => {
    expect(budgetVerdict({ totalHits: 11, isBlocked: true, timeToBlockExpire: 42 })).toEqual({ allowed: false, retryAfterSeconds: 42 });
    expect(budgetVerdict({ totalHits: 11, isBlocked: true, timeToBlockExpire: 0 })).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('budgetSpent', () => {
  it('is spent by the hit that reaches the limit, not only by the one after it', () => {
    expect(budgetSpent({ totalHits: 19, isBlocked: false, timeToBlockExpire: 0 }, 20)).toBe(false);
    expect(budgetSpent({ totalHits: 20, isBlocked: false, timeToBlockExpire: 0 }, 20)).toBe(true);
    expect(budgetSpent({ totalHits: 21, isBlocked: true, timeToBlockExpire: 30 }, 20)).toBe(true);
  });
});

describe('SourceBlocklist', () => {
  it('blocks a source until the given time, then forgets it', () => {
    const blocklist = new SourceBlocklist();
    blocklist.block('203.0.113.9', 60_000, 0);
    expect(blocklist.retryAfterSeconds('203.0.113.9', 0)).toBe(60);
    expect(blocklist.retryAfterSeconds('203.0.113.9', 59_001)).toBe(1);
    expect(blocklist.retryAfterSeconds('203.0.113.9', 60_000)).toBeUndefined();
    expect(blocklist.retryAfterSeconds('198.51.100.1', 0)).toBeUndefined();
  });

  it('stays bounded: expired blocks go first, then the oldest live ones', () => {
    const blocklist = new SourceBlocklist(2);
    blocklist.block('a', 1_000, 0);
    blocklist.block('b', 90_000, 0);
    blocklist.block('c', 90_000, 5_000);
    expect(blocklist.retryAfterSeconds('b', 5_000)).toBe(85);
    expect(blocklist.retryAfterSeconds('c', 5_000)).toBe(85);
    blocklist.block('d', 90_000, 5_000);
    expect(blocklist.retryAfterSeconds('b', 5_000)).toBeUndefined();
    expect(blocklist.retryAfterSeconds('d', 5_000)).toBe(85);
  });
});
