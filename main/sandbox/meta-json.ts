/**
 * JSON written the way Meta writes it (docs/platform.md#signatures): compact, `/` escaped as `\/`,
 * every non-ASCII UTF-16 code unit as lowercase `\uXXXX` (so emoji become surrogate pairs).
 * Receivers must hash these exact bytes; re-serialising a parsed object never reproduces them,
 * which is precisely the mistake (docs/platform.md#signatures) this emulator must be able to catch.
 */

export type MetaJsonStyle = {
  /**
   * Instagram comment bodies have been seen with `", "` / `": "` spacing
   * (docs/platform.md#signatures).
   */
  spaced?: boolean;
};

/**
 * A number written verbatim, for ids above 2^53 that Meta sends as bare JSON numbers
 * (docs/platform.md#token-exchange).
 */
export class RawNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new Error(`not an integer: ${digits}`);
  }
}

export function metaJson(value: unknown, style: MetaJsonStyle = {}): string {
  const comma = style.spaced ? ', ' : ',';
  const colon = style.spaced ? ': ' : ':';
  const write = (item: unknown): string => {
    if (item instanceof RawNumber) return item.digits;
    if (item === null) return 'null';
    if (typeof item === 'string') return metaString(item);
    if (typeof item === 'number') return Number.isFinite(item) ? String(item) : 'null';
    if (typeof item === 'boolean') return item ? 'true' : 'false';
    if (Array.isArray(item))
      return `[${item.map((element) => write(element ?? null)).join(comma)}]`;
    if (typeof item === 'object') {
      const fields = Object.entries(item as Record<string, unknown>).filter(
        ([, field]) => field !== undefined,
      );
      return `{${fields.map(([key, field]) => `${metaString(key)}${colon}${write(field)}`).join(comma)}}`;
    }
    throw new Error(`cannot serialise a ${typeof item}`);
  };
  return write(value);
}

function metaString(text: string): string {
  // JSON.stringify handles quotes, backslashes and control characters; the rest is Meta's flavour.
  return JSON.stringify(text)
    .replace(/\//g, '\\/')
    .replace(
      /[\u0080-\uffff]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}
