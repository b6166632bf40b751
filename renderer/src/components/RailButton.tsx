import type { ReactNode } from 'react';
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';
import { Tooltip } from './Tooltip';

/**
 * One square button of the left rail: an icon, its label as a tooltip and as the button's own
 * (visually hidden) text, so pointer, screen-reader and text search all read the same words.
 * `badge` sits on the icon's corner; whatever it says must also be in `label`.
 */
export function RailButton({
  label,
  icon,
  badge,
  isCurrent = false,
  className,
  ...props
}: Omit<AriaButtonProps, 'className' | 'children' | 'aria-label'> & {
  label: string;
  icon: ReactNode;
  badge?: ReactNode;
  isCurrent?: boolean;
  className?: string;
}) {
  return (
    <Tooltip label={label} placement="end">
      <AriaButton
        {...props}
        aria-current={isCurrent ? 'page' : undefined}
        className={className === undefined ? 'rail-button' : `rail-button ${className}`}
      >
        {icon}
        {badge !== undefined && (
          <span className="rail-button__badge" aria-hidden="true">
            {badge}
          </span>
        )}
        <span className="visually-hidden">{label}</span>
      </AriaButton>
    </Tooltip>
  );
}
