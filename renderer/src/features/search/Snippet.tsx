import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../../shared/ipc/search-contract';

/** Splits a snippet at main's match markers; matched words become <mark>, all of it stays text. */
export function splitSnippet(snippet: string): { text: string; isMatch: boolean }[] {
  const parts: { text: string; isMatch: boolean }[] = [];
  for (const [index, chunk] of snippet.split(SNIPPET_MATCH_START).entries()) {
    const [matched, rest] = index === 0 ? ['', chunk] : splitOnce(chunk, SNIPPET_MATCH_END);
    if (matched !== '') parts.push({ text: matched, isMatch: true });
    if (rest !== '') parts.push({ text: rest, isMatch: false });
  }
  return parts;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

export function Snippet({ snippet }: { snippet: string }) {
  return <MarkedText parts={splitSnippet(snippet)} />;
}

/** Text with its matched parts in <mark>. */
export function MarkedText({ parts }: { parts: { text: string; isMatch: boolean }[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.isMatch ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </>
  );
}
