import type { TFunction } from 'i18next';
/** What Inlet shows for an attachment; Instagram's `type` strings are kept verbatim upstream. */
export type AttachmentKind =
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'post'
  | 'reel'
  | 'story'
  | 'ephemeral'
  | 'link'
  | 'template'
  | 'unsupported';

const KINDS: Readonly<Record<string, AttachmentKind>> = {
  image: 'image',
  animated_image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  share: 'post',
  ig_post: 'post',
  ig_reel: 'reel',
  reel: 'reel',
  story_mention: 'story',
  ephemeral: 'ephemeral',
  // Instagram's "fallback" is a shared link it could not preview.
  fallback: 'link',
  template: 'template',
};

/** Unknown and future types (and `unsupported_type`) become the "open Instagram" placeholder. */
export function attachmentKindOf(type: string): AttachmentKind {
  return Object.hasOwn(KINDS, type) ? (KINDS[type] ?? 'unsupported') : 'unsupported';
}

/** The kind's name in the UI language; empty for kinds shown by a placeholder or the story view. */
export function attachmentKindName(kind: AttachmentKind, t: TFunction): string {
  switch (kind) {
    case 'image':
      return t('attachment.image');
    case 'video':
      return t('attachment.video');
    case 'audio':
      return t('attachment.audio');
    case 'file':
      return t('attachment.file');
    case 'post':
      return t('attachment.post');
    case 'reel':
      return t('attachment.reel');
    case 'link':
      return t('attachment.link');
    case 'template':
      return t('attachment.template');
    default:
      return '';
  }
}
