import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { NotifyLanguage } from '../../../shared/ipc/notifications-contract';
import type { UnreadText } from '../ports';

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

/** `#` is the count, formatted for the language. */
const BURST: Record<NotifyLanguage, string> = {
  en: '# new messages',
  'pt-BR': '# novas mensagens',
  es: '# mensajes nuevos',
  de: '# neue Nachrichten',
};

/**
 * One notification for several new messages (a burst): how many, and from whom (the first
 * three names).
 */
export function burstText(
  items: readonly { conversation: Conversation; message: Message }[],
  language: NotifyLanguage,
): { title: string; body: string } {
  const title = BURST[language].replace('#', new Intl.NumberFormat(language).format(items.length));
  const names = [
    ...new Set(
      items.map(
        ({ conversation, message }) => notificationText(conversation, message, language).title,
      ),
    ),
  ];
  return {
    title,
    body: names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', '),
  };
}

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

type UnreadWords = {
  none: string;
  one: string;
  /** `#` is the count, formatted for the language. */
  other: string;
  open: string;
  quit: string;
  keptRunning: UnreadText['keptRunning'];
};
const UNREAD: Record<NotifyLanguage, UnreadWords> = {
  en: {
    none: 'No unread messages',
    one: '1 unread conversation',
    other: '# unread conversations',
    open: 'Open Inlet',
    quit: 'Quit Inlet',
    keptRunning: {
      title: 'Inlet is still running',
      body: 'It keeps receiving your messages in the background. Open it again from its icon; choose “Quit Inlet” there to stop it.',
    },
  },
  'pt-BR': {
    none: 'Nenhuma mensagem não lida',
    one: '1 conversa não lida',
    other: '# conversas não lidas',
    open: 'Abrir o Inlet',
    quit: 'Sair do Inlet',
    keptRunning: {
      title: 'O Inlet continua aberto',
      body: 'Ele continua recebendo suas mensagens em segundo plano. Abra-o de novo pelo ícone; escolha “Sair do Inlet” ali para encerrá-lo.',
    },
  },
  es: {
    none: 'No hay mensajes sin leer',
    one: '1 conversación sin leer',
    other: '# conversaciones sin leer',
    open: 'Abrir Inlet',
    quit: 'Salir de Inlet',
    keptRunning: {
      title: 'Inlet sigue abierto',
      body: 'Sigue recibiendo tus mensajes en segundo plano. Vuelve a abrirlo desde su icono; elige «Salir de Inlet» ahí para cerrarlo.',
    },
  },
  de: {
    none: 'Keine ungelesenen Nachrichten',
    one: '1 ungelesene Unterhaltung',
    other: '# ungelesene Unterhaltungen',
    open: 'Inlet öffnen',
    quit: 'Inlet beenden',
    keptRunning: {
      title: 'Inlet läuft weiter',
      body: 'Es empfängt deine Nachrichten im Hintergrund weiter. Über sein Symbol öffnest du es wieder; „Inlet beenden“ dort beendet es.',
    },
  },
};

/**
 * The words of the tray and taskbar indicators for `count` unread conversations, and of the notice
 * shown the first time closing the window leaves Inlet running in the tray.
 */
export function unreadText(count: number, language: NotifyLanguage): UnreadText {
  const words = UNREAD[language];
  const description =
    count === 0
      ? words.none
      : count === 1
        ? words.one
        : words.other.replace('#', new Intl.NumberFormat(language).format(count));
  return { description, open: words.open, quit: words.quit, keptRunning: words.keptRunning };
}
