import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../../main/core/archive/database';
import { withoutFsync } from '../../../../../main/core/archive/without-fsync';

const synchronous = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;

describe('withoutFsync', () => {
  it('commits with synchronous=NORMAL inside and restores the setting after, even on error', () => {
    const db = openDatabase(':memory:');
    expect(synchronous(db)).toBe(2);
    expect(withoutFsync(db, () => synchronous(db))).toBe(1);
    expect(synchronous(db)).toBe(2);
    expect(() =>
      withoutFsync(db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(synchronous(db)).toBe(2);
    db.exec('PRAGMA synchronous = OFF');
    withoutFsync(db, () => undefined);
    expect(synchronous(db)).toBe(0); // whatever it was, not a hard-coded FULL
    db.close();
  });
});
