import { describe, expect, it } from 'vitest';
import { linkify } from '../../../../renderer/src/lib/linkify';

const links = (text: string) =>
  linkify(text)
    .filter((part) => part.kind === 'link')
    .map((part) => [part.text, part.href]);

describe('linkify', () => {
  it('keeps text without URLs as one plain run', () => {
    expect(linkify('Do you ship to Lisbon?')).toEqual([
      { kind: 'text', text: 'Do you ship to Lisbon?' },
    ]);
    expect(linkify('')).toEqual([]);
  });

  it('splits text around http(s) URLs, losing no character', () => {
    const text = 'See https://shop.example/a and http://b.example/x?y=1#z, thanks';
    const parts = linkify(text);
    expect(parts.map((part) => part.text).join('')).toBe(text);
    expect(links(text)).toEqual([
      ['https://shop.example/a', 'https://shop.example/a'],
      ['http://b.example/x?y=1#z', 'http://b.example/x?y=1#z'],
    ]);
  });

  it('leaves sentence punctuation and unmatched brackets out of the link', () => {
    expect(links('(see https://a.example/b).')).toEqual([
      ['https://a.example/b', 'https://a.example/b'],
    ]);
    expect(links('https://en.wikipedia.org/wiki/Linen_(fabric)!')).toEqual([
      [
        'https://en.wikipedia.org/wiki/Linen_(fabric)',
        'https://en.wikipedia.org/wiki/Linen_(fabric)',
      ],
    ]);
    expect(links('“https://a.example/q”')).toEqual([
      ['https://a.example/q', 'https://a.example/q'],
    ]);
  });

  it('links bare www. hosts over https', () => {
    expect(links('www.example.org/shop')).toEqual([
      ['www.example.org/shop', 'https://www.example.org/shop'],
    ]);
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'mailto:a@b.c',
      'https://',
    ]) {
      expect(links(text)).toEqual([]);
      expect(
        linkify(text)
          .map((part) => part.text)
          .join(''),
      ).toBe(text);
    }
  });
});
