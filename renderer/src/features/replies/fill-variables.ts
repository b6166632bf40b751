import type { Conversation } from '../../../../shared/domain/schemas';

/**
 * Fills a saved reply's variables for one customer. `{first_name}` is the first word of their
 * name (or their username when Instagram gave no name); an unknown value becomes empty text,
 * never the raw placeholder, so a customer never reads "{first_name}". Unknown variables stay.
 */
export function fillVariables(body: string, conversation: Conversation | undefined): string {
  const name = conversation?.customerName?.trim() ?? '';
  const username = conversation?.customerUsername ?? '';
  const values: Record<string, string> = {
    first_name: name.split(/\s+/u)[0] || username,
    username: username === '' ? '' : `@${username}`,
  };
  return body
    .replace(/\{(\w+)\}/gu, (whole, key: string) => values[key] ?? whole)
    .replace(/[ \t]+([,.!?])/gu, '$1')
    .replace(/[ \t]{2,}/gu, ' ')
    .trim();
}

/** The "/word" the owner is typing at the start of the draft, or null when not picking. */
export function pickerQuery(draft: string): string | null {
  const match = /^\/([\p{L}\p{N}_-]*)$/u.exec(draft);
  return match ? (match[1] ?? '') : null;
}
