import type { ReactElement } from 'react';
import { Tooltip as AriaTooltip, TooltipTrigger, type TooltipProps } from 'react-aria-components';

/**
 * A short label on hover or keyboard focus. It repeats what the trigger's accessible name says;
 * it never carries information found nowhere else. It floats inside the page's main landmark
 * rather than at the end of <body>, so even a tooltip on screen is part of a landmark.
 */
export function Tooltip({
  label,
  placement,
  children,
}: {
  label: string;
  placement?: TooltipProps['placement'];
  children: ReactElement;
}) {
  return (
    <TooltipTrigger delay={500} closeDelay={0}>
      {children}
      <AriaTooltip
        className="tooltip"
        offset={6}
        placement={placement}
        UNSTABLE_portalContainer={document.querySelector('main') ?? undefined}
      >
        {label}
      </AriaTooltip>
    </TooltipTrigger>
  );
}
