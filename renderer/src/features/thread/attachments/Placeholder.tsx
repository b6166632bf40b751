/** A line in place of content Inlet cannot show, pointing the owner to Instagram. */
export function Placeholder({ text, type }: { text: string; type?: string }) {
  return (
    <p className="attachment attachment--placeholder" data-attachment-type={type}>
      {text}
    </p>
  );
}
