import { describe, expect, it } from 'vitest';
import {
  MAX_TEXT_BYTES,
  SHOW_COUNT_WITHIN_CHARACTERS,
  textRoom,
} from '../../../../shared/domain/message-text';

describe('textRoom', () => {
  it('says nothing while there is plenty of room', () => {
    expect(textRoom('')).toEqual({ state: 'plenty' });
    expect(textRoom('a'.repeat(MAX_TEXT_BYTES - SHOW_COUNT_WITHIN_CHARACTERS - 1))).toEqual({
      state: 'plenty',
    });
  });

  it('counts the characters left near the limit, one byte each for plain Latin text', () => {
    expect(textRoom('a'.repeat(900))).toEqual({ state: 'near', left: 100 });
    expect(textRoom('a'.repeat(MAX_TEXT_BYTES))).toEqual({ state: 'near', left: 0 });
  });

  it('is conservative: the room left is divided by the widest character typed', () => {
    // 300 × 日 is 900 bytes; 100 bytes left hold 33 more of them, not 100 letters.
    expect(textRoom('日'.repeat(300))).toEqual({ state: 'near', left: 33 });
    // 👍🏽 is one character the owner sees, 8 bytes: 56 of them and "ok" are 450 bytes; 550 left
    // hold 68 more.
    expect(textRoom('👍🏽'.repeat(56) + 'ok')).toEqual({ state: 'near', left: 68 });
  });

  it('says exactly how many characters at the end must go', () => {
    expect(textRoom('日'.repeat(334))).toEqual({ state: 'over', over: 1 }); // 1002 bytes
    expect(textRoom('a'.repeat(998) + '👍🏽')).toEqual({ state: 'over', over: 1 });
    expect(textRoom('a'.repeat(1003))).toEqual({ state: 'over', over: 3 });
  });

  it('copes with a very long text', () => {
    expect(textRoom('x'.repeat(100_000))).toEqual({ state: 'over', over: 99_000 });
  });
});
