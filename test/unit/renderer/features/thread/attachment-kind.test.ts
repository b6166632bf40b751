import { describe, expect, it } from 'vitest';
import { attachmentKindOf } from '../../../../../renderer/src/features/thread/attachment-kind';

describe('attachmentKindOf', () => {
  it("maps Instagram's attachment types to what Inlet shows", () => {
    expect(
      [
        'image',
        'animated_image',
        'video',
        'audio',
        'file',
        'share',
        'ig_post',
        'ig_reel',
        'reel',
        'story_mention',
        'ephemeral',
        'fallback',
        'template',
      ].map(attachmentKindOf),
    ).toEqual([
      'image',
      'image',
      'video',
      'audio',
      'file',
      'post',
      'post',
      'reel',
      'reel',
      'story',
      'ephemeral',
      'link',
      'template',
    ]);
  });

  it('treats unknown types, and inherited property names, as unsupported', () => {
    for (const type of ['unsupported_type', 'hologram', '', 'constructor', '__proto__']) {
      expect(attachmentKindOf(type)).toBe('unsupported');
    }
  });
});
