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
