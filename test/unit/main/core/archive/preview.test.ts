import { describe, expect, it } from 'vitest';
import { previewOf } from '../../../../../main/core/archive/preview';

describe('previewOf', () => {
  it('previews what a message is when it has no text', () => {
    expect(previewOf({ text: null, attachments: [], story: { kind: 'mention' } })).toBe(
      '[story mention]',
    );
    expect(previewOf({ text: null, attachments: [], isUnsupported: true })).toBe('[unsupported]');
    expect(previewOf({ text: 'hi', attachments: [], isDeleted: true })).toBe('[unsent]');
    expect(
      previewOf({ text: '  ', attachments: [{ type: 'ig_reel', url: null, title: null }] }),
    ).toBe('[ig_reel]');
  });
});
