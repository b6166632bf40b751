import { describe, expect, it } from 'vitest';
import { parseJsonPreservingIds } from '../../../../../main/core/graph/json';

describe('parseJsonPreservingIds', () => {
  it('keeps a user_id beyond 2^53 as its exact digits (docs/platform.md#token-exchange)', () => {
    expect(parseJsonPreservingIds('{"user_id": 26893745620197403}')).toEqual({
      user_id: '26893745620197403',
    });
    // What plain JSON.parse does to the same text: the reason this parser exists.
    expect(
      String((JSON.parse('{"user_id": 26893745620197403}') as { user_id: number }).user_id),
    ).not.toBe('26893745620197403');
  });

  it('turns every id-like key into a string, even small ones', () => {
    const parsed = parseJsonPreservingIds(
      '{"id":5,"recipient_id":1284973601758392,"igsid":17841405309211844,"comment_id":17867301270523379,"data":[{"id":37355381327440609}]}',
    );
    expect(parsed).toEqual({
      id: '5',
      recipient_id: '1284973601758392',
      igsid: '17841405309211844',
      comment_id: '17867301270523379',
      data: [{ id: '37355381327440609' }],
    });
  });

  it('keeps any unsafe integer exact, whatever its key, and leaves ordinary numbers alone', () => {
    expect(
      parseJsonPreservingIds(
        '{"big":-9007199254740993,"code":190,"error_subcode":2534022,"expires_in":5183944,"ratio":1.5,"sci":1e20,"flag":true}',
      ),
    ).toEqual({
      big: '-9007199254740993',
      code: 190,
      error_subcode: 2534022,
      expires_in: 5183944,
      ratio: 1.5,
      sci: 1e20,
      flag: true,
    });
  });

  it('leaves ids that already are strings and unescapes slashes', () => {
    expect(
      parseJsonPreservingIds('{"id":"17841405309211844","url":"https:\\/\\/x.example\\/a"}'),
    ).toEqual({
      id: '17841405309211844',
      url: 'https://x.example/a',
    });
  });

  it('throws SyntaxError on malformed JSON', () => {
    expect(() => parseJsonPreservingIds('{"user_id": 1')).toThrow(SyntaxError);
    expect(() => parseJsonPreservingIds('<html>502 Bad Gateway</html>')).toThrow(SyntaxError);
  });
});
