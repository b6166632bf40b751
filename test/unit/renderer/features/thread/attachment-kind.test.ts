import { describe, expect, it } from 'vitest';
import { attachmentKindOf } from '../../../../../renderer/src/features/thread/attachment-kind';
import { GALLERY_ATTACHMENT_TYPES } from '../../../../../shared/domain/schemas';

describe('attachmentKindOf', () => {
  it.each([
    ['image', 'image'],
    ['animated_image', 'image'],
    ['video', 'video'],
    ['audio', 'audio'],
    ['file', 'file'],
    ['share', 'post'],
    ['ig_post', 'post'],
    ['ig_reel', 'reel'],
    ['reel', 'reel'],
    ['story_mention', 'story'],
    ['ephemeral', 'ephemeral'],
    ['fallback', 'link'],
    ['template', 'template'],
  ])("shows Instagram's %s attachment as %s", (type, kind) => {
    expect(attachmentKindOf(type)).toBe(kind);
  });

  it('treats unknown types, and inherited property names, as unsupported', () => {
    for (const type of ['unsupported_type', 'hologram', '', 'constructor', '__proto__']) {
      expect(attachmentKindOf(type)).toBe('unsupported');
    }
  });

  it('agrees with the archive on which types the viewer steps through', () => {
    const shown = ['image', 'animated_image', 'video', 'audio', 'file', 'share', 'ig_reel'].filter(
      (type) => ['image', 'video'].includes(attachmentKindOf(type)),
    );
    expect(shown).toEqual([...GALLERY_ATTACHMENT_TYPES]);
  });
});
