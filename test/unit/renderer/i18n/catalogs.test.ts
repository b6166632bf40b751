import { describe, expect, it } from 'vitest';

/**
 * Every language file must say everything en.json says, with the same placeholders, and nothing
 * else. Plural keys are the exception by design: each language has the plural forms its own
 * rules need (German one/other; Spanish and Portuguese also `_many`), so they are compared by
 * base key, with the form suffixes checked against `Intl.PluralRules`, which i18next uses.
 */
type Catalog = { [key: string]: string | Catalog };

const files = import.meta.glob<Catalog>('../../../../renderer/src/i18n/*.json', {
  eager: true,
  import: 'default',
});
const catalogs = Object.fromEntries(
  Object.entries(files).map(([path, catalog]) => [
    path.replace(/^.*\//, '').replace(/\.json$/, ''),
    catalog,
  ]),
);
const en = catalogs.en;
if (en === undefined) throw new Error('en.json not found');

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text);
  }
  return entries;
}

/** Base key → plural forms present (empty for a key that is not plural). */
function shape(catalog: Catalog): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const key of flatten(catalog).keys()) {
    const suffix = PLURAL_SUFFIX.exec(key);
    const base = suffix === null ? key : key.slice(0, suffix.index);
    const forms = keys.get(base) ?? [];
    if (suffix?.[1] !== undefined) forms.push(suffix[1]);
    keys.set(base, forms);
  }
  return keys;
}

/** `{{count, number}}` → "count, number": the name and its format must both survive translation. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

const english = flatten(en);
const englishShape = shape(en);
const others = Object.keys(catalogs).filter((language) => language !== 'en');

describe('translation catalogs', () => {
  it('exist for Brazilian Portuguese, Spanish and German', () => {
    expect(others.sort()).toEqual(['de', 'es', 'pt-BR']);
  });

  describe.each(others)('%s', (language) => {
    const catalog = catalogs[language] as Catalog;
    const entries = flatten(catalog);
    const languageShape = shape(catalog);
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

    it('has exactly the keys of en.json, no missing and no extra', () => {
      expect([...languageShape.keys()].sort()).toEqual([...englishShape.keys()].sort());
    });

    it("has exactly the plural forms of the language's plural rules", () => {
      for (const [base, englishForms] of englishShape) {
        const forms = languageShape.get(base) ?? [];
        if (englishForms.length === 0) expect(forms, base).toEqual([]);
        else expect(forms.sort(), base).toEqual([...categories].sort());
      }
    });

    it('uses the same {{placeholders}} per key as en.json', () => {
      for (const [key, text] of entries) {
        const base = key.replace(PLURAL_SUFFIX, '');
        // A plural form is compared with English `_other`, which names every variable.
        const englishText = english.get(key) ?? english.get(`${base}_other`);
        expect(englishText, key).toBeDefined();
        expect(placeholders(text), key).toEqual(placeholders(englishText ?? ''));
      }
    });

    it('is translated: no value left empty, and never a translated env var name', () => {
      for (const [key, text] of entries) expect(text.trim(), key).not.toBe('');
      expect(entries.get('settings.vaultWarning')).toContain('INLET_VAULT_KEY');
      expect(entries.get('errorDetail.accountConfigured')).toContain('INLET_ACCESS_TOKEN');
      expect(entries.get('thread.messages')).not.toBe(english.get('thread.messages'));
    });
  });
});
