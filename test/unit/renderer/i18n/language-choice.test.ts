import { afterEach, describe, expect, it } from 'vitest';
import {
  SUPPORTED_LANGUAGES,
  createI18n,
  pickLanguage,
  preferredLanguages,
  syncDocumentLanguage,
} from '../../../../renderer/src/i18n';

describe('language choice from navigator.languages', () => {
  it.each([
    [['de-DE', 'en-US'], 'de'],
    [['de-AT'], 'de'],
    [['de-CH', 'fr-CH'], 'de'],
    [['pt-BR'], 'pt-BR'],
    [['pt'], 'pt-BR'],
    [['pt-PT', 'en'], 'pt-BR'],
    [['es'], 'es'],
    [['es-ES'], 'es'],
    [['es-419', 'en'], 'es'],
    [['es-MX'], 'es'],
    [['en-GB', 'de'], 'en'],
    [['fr-FR', 'es-AR', 'en'], 'es'],
    [['ja-JP', 'zh-CN'], 'en'],
    [[], 'en'],
    [['PT-br'], 'pt-BR'],
  ])('%j → %s', (languages, expected) => {
    expect(pickLanguage(preferredLanguages({ languages, language: languages[0] ?? '' }))).toBe(
      expected,
    );
  });

  it('speaks exactly the four languages of the catalogs', () => {
    expect([...SUPPORTED_LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'pt-BR']);
  });

  it('falls back to navigator.language when the list is empty', () => {
    expect(preferredLanguages({ languages: [], language: 'de-DE' })).toEqual(['de-DE']);
    expect(preferredLanguages({ languages: [], language: '' })).toEqual([]);
  });
});

describe('syncDocumentLanguage', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
  });

  it('sets <html lang> to the chosen language and follows changes', async () => {
    const i18n = createI18n('pt-BR');
    const stop = syncDocumentLanguage(i18n);
    expect(document.documentElement.lang).toBe('pt-BR');
    await i18n.changeLanguage('de');
    expect(document.documentElement.lang).toBe('de');
    stop();
    await i18n.changeLanguage('es');
    expect(document.documentElement.lang).toBe('de');
  });

  it('says English for a language Inlet does not speak, since the text is English', () => {
    syncDocumentLanguage(createI18n('ja'));
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('formatting per language', () => {
  it('pluralises and formats numbers with each language’s rules', () => {
    expect(createI18n('de').t('conversations.unread', { count: 1 })).toBe('1 ungelesene Nachricht');
    expect(createI18n('de').t('conversations.unread', { count: 1200 })).toBe(
      '1.200 ungelesene Nachrichten',
    );
    expect(createI18n('pt-BR').t('conversations.unread', { count: 1 })).toBe('1 mensagem não lida');
    expect(createI18n('pt-BR').t('conversations.unread', { count: 1_000_000 })).toBe(
      '1.000.000 mensagens não lidas',
    );
    expect(createI18n('es').t('conversations.unread', { count: 1_000_000 })).toBe(
      '1.000.000 mensajes sin leer',
    );
    expect(createI18n('es').t('conversations.unread', { count: 2 })).toBe('2 mensajes sin leer');
  });
});
