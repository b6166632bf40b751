import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { NotifyLanguage } from '../../../shared/ipc/notifications-contract';

/**
 * The few words a notification needs, in the renderer's four languages. They live here because
 * main raises the notification while the window may be hidden; the renderer says which language.
 */
const TEXT: Record<NotifyLanguage, { customer: string; attachment: string; story: string }> = {
  en: {
    customer: 'Instagram customer',
    attachment: 'Sent an attachment',
    story: 'Mentioned you in their story',
  },
  'pt-BR': {
    customer: 'Cliente do Instagram',
    attachment: 'Enviou um anexo',
    story: 'Mencionou você no story',
  },
  es: {
    customer: 'Cliente de Instagram',
    attachment: 'Envió un archivo adjunto',
    story: 'Te mencionó en su historia',
  },
  de: {
    customer: 'Instagram-Kunde',
    attachment: 'Hat einen Anhang gesendet',
    story: 'Hat dich in der Story erwähnt',
  },
};

/** Long enough to read the question, short enough for every desktop's notification bubble. */
export const MAX_BODY_CHARS = 160;

export function notificationText(
  conversation: Conversation,
  message: Message,
  language: NotifyLanguage,
): { title: string; body: string } {
  const words = TEXT[language];
  const title = conversation.customerUsername ?? conversation.customerName ?? words.customer;
  const text = message.text?.trim() ?? '';
  const body =
    text !== ''
      ? truncate(text)
      : message.story?.kind === 'mention'
        ? words.story
        : words.attachment;
  return { title, body };
}

function truncate(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ')); // by code point: never split an emoji
  return chars.length <= MAX_BODY_CHARS
    ? chars.join('')
    : `${chars.slice(0, MAX_BODY_CHARS - 1).join('')}…`;
}
