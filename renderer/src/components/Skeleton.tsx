/**
 * Grey shapes where rows and bubbles will be, while they load (DESIGN.md's states: never a blank
 * pane). Decorative: whoever shows them also says "loading" in words for assistive technology.
 */
export function SkeletonRows({
  count = 6,
  hasAvatar = true,
}: {
  count?: number;
  /** Off where what loads has no pictures (a form's fields): lines alone. */
  hasAvatar?: boolean;
}) {
  return (
    <div className="skeleton-rows" aria-hidden="true" data-testid="skeleton-rows">
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className="skeleton-row">
          {hasAvatar && <span className="skeleton skeleton--avatar" />}
          <span className="skeleton-row__lines">
            {/* Varied widths, so the shapes read as names and previews, not a table. */}
            <span
              className="skeleton skeleton--line"
              style={{ width: `${40 + ((index * 17) % 30)}%` }}
            />
            <span
              className="skeleton skeleton--line"
              style={{ width: `${65 + ((index * 11) % 30)}%` }}
            />
          </span>
        </div>
      ))}
    </div>
  );
}

/** A few bubbles, the customer's on the left and the business's on the right. */
const BUBBLES = [
  { side: 'in', width: 46 },
  { side: 'in', width: 30 },
  { side: 'out', width: 40 },
  { side: 'in', width: 55 },
  { side: 'out', width: 34 },
] as const;

export function SkeletonBubbles() {
  return (
    <div className="skeleton-bubbles" aria-hidden="true" data-testid="skeleton-bubbles">
      {BUBBLES.map((bubble, index) => (
        <span
          key={index}
          className={`skeleton skeleton--bubble skeleton--${bubble.side}`}
          style={{ width: `${bubble.width}%` }}
        />
      ))}
    </div>
  );
}
