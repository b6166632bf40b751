/**
 * Graph `fields=` syntax with field expansion, e.g.
 * `id,messages.limit(20){id,created_time,from}` (docs/platform.md#conversation-messages).
 */
export type FieldRequest = { name: string; limit?: number; fields?: FieldRequest[] };

export function parseFields(text: string | null): FieldRequest[] | null {
  if (text === null || text.trim() === '') return null;
  let index = 0;
  const list = (): FieldRequest[] => {
    const out: FieldRequest[] = [];
    while (index < text.length && text[index] !== '}') {
      const nameMatch = /^[a-z_]+/i.exec(text.slice(index));
      if (!nameMatch) throw new Error(`Syntax error at character ${index} of fields`);
      const field: FieldRequest = { name: nameMatch[0] };
      index += nameMatch[0].length;
      const limitMatch = /^\.limit\((\d+)\)/.exec(text.slice(index));
      if (limitMatch) {
        field.limit = Number(limitMatch[1]);
        index += limitMatch[0].length;
      }
      if (text[index] === '{') {
        index += 1;
        field.fields = list();
        if (text[index] !== '}') throw new Error('Syntax error: missing }');
        index += 1;
      }
      out.push(field);
      if (text[index] === ',') index += 1;
      while (text[index] === ' ') index += 1;
    }
    return out;
  };
  const fields = list();
  if (index !== text.length) throw new Error(`Syntax error at character ${index} of fields`);
  return fields;
}

/**
 * Graph datetimes: ISO-8601 with a `+0000` offset, e.g. 2022-07-12T19:11:07+0000
 * (docs/platform.md#conversations-api).
 */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
