import type { Attachment } from '../../../shared/domain/schemas';

type Previewed = {
  text: string | null;
  attachments: Attachment[];
  story?: { kind: 'reply' | 'mention' } | null;
  isUnsupported?: boolean;
  isDeleted?: boolean;
};

/** What the conversation list shows for a message: its text, or what kind of thing it is. */
export function previewOf(message: Previewed): string {
  if (message.isDeleted) return '[unsent]';
  const { text, attachments } = message;
  if (text !== null && text.trim() !== '') return text.slice(0, 200);
  const first = attachments[0];
  if (first) return `[${first.type}]`;
  if (message.story) return `[story ${message.story.kind}]`;
  return message.isUnsupported ? '[unsupported]' : '';
}
