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
    expect(NOTIFY_LANGUAGES.map((language) => unreadText(2, language).quit)).toEqual([
      'Quit Inlet',
      'Sair do Inlet',
      'Salir de Inlet',
      'Inlet beenden',
    ]);
  });

  it('has the once-only "still running" notice in each language, naming the Quit item', () => {
    for (const language of NOTIFY_LANGUAGES) {
      const { quit, keptRunning } = unreadText(0, language);
      expect(keptRunning.title).toMatch(/Inlet/);
      // The notice tells the owner how to really stop Inlet: by the item the tray menu shows.
      expect(keptRunning.body).toContain(quit);
    }
    expect(new Set(NOTIFY_LANGUAGES.map((l) => unreadText(0, l).keptRunning.title)).size).toBe(4);
  });
});
