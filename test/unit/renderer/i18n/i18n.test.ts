import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES, createI18n, pickLanguage } from '../../../../renderer/src/i18n';
import { sayReason } from '../../../../renderer/src/i18n/localize';
import type { FailureReason } from '../../../../shared/domain/failure-reason';

describe('pickLanguage', () => {
  const supported = ['en', 'pt-BR', 'es', 'de'];

  it('takes the first preferred language Inlet speaks, exact tag or same base language', () => {
    expect(pickLanguage(['fr-FR', 'pt-BR', 'en'], supported)).toBe('pt-BR');
    expect(pickLanguage(['pt-PT'], supported)).toBe('pt-BR');
    expect(pickLanguage(['de-AT', 'en'], supported)).toBe('de');
  });

  it('falls back to English', () => {
    expect(pickLanguage(['ja-JP'], supported)).toBe('en');
    expect(pickLanguage([], supported)).toBe('en');
  });
});

describe('createI18n', () => {
  it('loads every language file next to it, English included', () => {
    expect(SUPPORTED_LANGUAGES).toContain('en');
  });

  it('translates, pluralises and formats numbers in the chosen language', () => {
    const i18n = createI18n('en');
    expect(i18n.t('composer.send')).toBe('Send');
    expect(i18n.t('conversations.unread', { count: 1 })).toBe('1 unread message');
    expect(i18n.t('conversations.unread', { count: 1200 })).toBe('1,200 unread messages');
  });

  it('falls back to English for a language without a file', () => {
    expect(createI18n('xx').t('composer.label')).toBe('Message');
  });
});

describe('sayReason', () => {
  const refused = (count: number): FailureReason => ({
    text: 'English from main',
    detail: { key: 'health.reason.signaturesRefusedInstagramSecret', vars: { count } },
  });

  it('says a reason whose key has plural forms in the language, by its count', () => {
    const en = createI18n('en');
    expect(sayReason(refused(1), en.t, en)?.words).toMatch(/^1 delivery in the last hour did/);
    expect(sayReason(refused(3), en.t, en)?.words).toMatch(/^3 deliveries in the last hour did/);
    const de = createI18n('de');
    expect(sayReason(refused(1), de.t, de)).toMatchObject({ inEnglish: false });
    expect(sayReason(refused(1), de.t, de)?.words).toMatch(/^1 Zustellung in der letzten Stunde/);
  });
});
