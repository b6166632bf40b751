import { useMemo } from 'react';
import { ExternalLink } from '../../components/ExternalLink';
import { linkify } from '../../lib/linkify';

/** Message text with its http(s) URLs as links; built as React children, never as HTML. */
export function MessageText({ text }: { text: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return (
    // Customers write in any script: the text takes its direction from its own first letters.
    <p className="message__text" dir="auto">
      {parts.map((part, index) =>
        part.kind === 'link' ? (
          // Parts are derived from immutable text, so their order never changes.
          <ExternalLink key={index} className="message__link" href={part.href}>
            {part.text}
          </ExternalLink>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
