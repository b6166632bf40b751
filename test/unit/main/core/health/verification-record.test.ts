import { describe, expect, it } from 'vitest';
import { verificationRecord } from '../../../../../main/core/health/verification-record';
import { fixedClock } from '../../../../fakes/clock';
import { memoryKv } from '../../../../fakes/memory-kv';

describe('verificationRecord: when Meta last verified the callback URL', () => {
  it('knows of none until Meta verifies', () => {
    expect(verificationRecord(memoryKv(), fixedClock()).lastAt()).toBeNull();
  });

  it('remembers the time across runs, which share only the store', () => {
    const kv = memoryKv();
    const clock = fixedClock();
    verificationRecord(kv, clock).record();
    clock.advance(60_000);

    expect(verificationRecord(kv, clock).lastAt()).toBe(clock.now() - 60_000);
  });

  it('reads a value that is not a time as none', () => {
    const kv = memoryKv({ 'health.lastVerificationAt': 'yesterday' });
    expect(verificationRecord(kv, fixedClock()).lastAt()).toBeNull();
  });
});
