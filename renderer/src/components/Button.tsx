import type { ReactNode, Ref } from 'react';
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';
import { Tooltip } from './Tooltip';

export type ButtonVariant = 'primary' | 'secondary' | 'quiet';

type ButtonProps = Omit<AriaButtonProps, 'className' | 'children'> & {
  variant?: ButtonVariant;
  size?: 'small' | 'medium';
  className?: string;
  ref?: Ref<HTMLButtonElement>;
  children: ReactNode;
};

/**
 * The one button: React Aria's (press handling that works the same for mouse, touch and keys),
 * drawn with the tokens. `secondary` is the bordered default; `quiet` has no border until hovered.
 */
export function Button({
  variant = 'secondary',
  size = 'medium',
  className,
  children,
  ...props
}: ButtonProps) {
  const classes = ['button', `button--${variant}`];
  if (size === 'small') classes.push('button--small');
  if (className !== undefined) classes.push(className);
  return (
    <AriaButton {...props} className={classes.join(' ')}>
      {children}
    </AriaButton>
  );
}

/**
 * A button that shows only an icon: its label is its accessible name and its tooltip, so pointer
 * and screen-reader users read the same words.
 */
export function IconButton({
  label,
  icon,
  className,
  ...props
}: Omit<AriaButtonProps, 'className' | 'children' | 'aria-label'> & {
  label: string;
  icon: ReactNode;
  className?: string;
}) {
  return (
    <Tooltip label={label}>
      <AriaButton
        {...props}
        aria-label={label}
        className={className === undefined ? 'icon-button' : `icon-button ${className}`}
      >
        {icon}
      </AriaButton>
    </Tooltip>
  );
}
