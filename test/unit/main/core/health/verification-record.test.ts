import { describe, expect, it } from 'vitest';
import { verificationRecord } from '../../../../../main/core/health/verification-record';
import { fixedClock } from '../../../../fakes/clock';
import { memoryKv } from '../../../../fakes/memory-kv';

describe('verificationRecord: when Meta last verified the callback URL', () => {
  it('knows of none until Meta verifies', () => {
    expect(verificationRecord(memoryKv(), fixedClock(), 'live').lastAt()).toBeNull();
  });

  it('remembers the time across runs, which share only the store', () => {
    const kv = memoryKv();
    const clock = fixedClock();
    verificationRecord(kv, clock, 'live').record();
    clock.advance(60_000);

    expect(verificationRecord(kv, clock, 'live').lastAt()).toBe(clock.now() - 60_000);
  });

  it('does not count the emulator verifying the sandbox as Meta verifying the owner’s app', () => {
    const kv = memoryKv();
    const clock = fixedClock();
    verificationRecord(kv, clock, 'sandbox').record();
    expect(verificationRecord(kv, clock, 'live').lastAt()).toBeNull();
    expect(verificationRecord(kv, clock, 'sandbox').lastAt()).toBe(clock.now());
  });

  it('reads a value that is not a time as none', () => {
    const kv = memoryKv({ 'health.lastVerificationAt': 'yesterday' });
    expect(verificationRecord(kv, fixedClock(), 'live').lastAt()).toBeNull();
  });
});
