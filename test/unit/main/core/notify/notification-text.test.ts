import { describe, expect, it } from 'vitest';
import { unreadText } from '../../../../../main/core/notify/notification-text';
import { NOTIFY_LANGUAGES } from '../../../../../shared/ipc/notifications-contract';

describe('unreadText', () => {
  it('says none, one or many unread conversations, with the count formatted per language', () => {
    expect(NOTIFY_LANGUAGES.map((language) => unreadText(0, language).description)).toEqual([
      'No unread messages',
      'Nenhuma mensagem não lida',
      'No hay mensajes sin leer',
      'Keine ungelesenen Nachrichten',
    ]);
    expect(NOTIFY_LANGUAGES.map((language) => unreadText(1, language).description)).toEqual([
      '1 unread conversation',
      '1 conversa não lida',
      '1 conversación sin leer',
      '1 ungelesene Unterhaltung',
    ]);
    expect(NOTIFY_LANGUAGES.map((language) => unreadText(12345, language).description)).toEqual([
      '12,345 unread conversations',
      '12.345 conversas não lidas',
      '12.345 conversaciones sin leer',
      '12.345 ungelesene Unterhaltungen',
    ]);
  });

  it('names the tray menu items in each language', () => {
    expect(NOTIFY_LANGUAGES.map((language) => unreadText(2, language).open)).toEqual([
      'Open Inlet',
      'Abrir o Inlet',
      'Abrir Inlet',
      'Inlet öffnen',
    ]);
    expect(unreadText(2, 'de').quit).toBe('Beenden');
  });
});
