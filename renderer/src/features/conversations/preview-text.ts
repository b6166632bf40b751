import type { TFunction } from 'i18next';
import { attachmentKindName, attachmentKindOf } from '../thread/attachment-kind';

/**
 * The list row's preview in the UI language. The core stores a message without text as a bracketed
 * token (`previewOf` in main/core/archive/preview.ts: `[unsent]`, `[image]`, `[story mention]`,
 * `[unsupported]`…); those tokens are named here, any other preview is the customer's own text.
 */
export function previewText(preview: string, t: TFunction): string {
  const token = /^\[([a-z_ ]+)\]$/.exec(preview)?.[1];
  if (token === undefined) return preview || t('conversations.noPreview');
  if (token === 'unsent') return t('thread.unsent');
  if (token === 'unsupported') return t('conversations.previewUnsupported');
  if (token === 'story mention') return t('story.mention');
  if (token === 'story reply') return t('story.reply');
  const kind = attachmentKindOf(token);
  if (kind === 'story') return t('story.mention');
  if (kind === 'ephemeral') return t('conversations.previewEphemeral');
  return attachmentKindName(kind, t) || t('conversations.previewUnsupported');
}
