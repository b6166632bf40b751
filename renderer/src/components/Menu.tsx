import type { ReactElement, ReactNode } from 'react';
import {
  Menu as AriaMenu,
  MenuItem as AriaMenuItem,
  MenuTrigger,
  type MenuItemProps,
  type MenuProps,
} from 'react-aria-components';
import { Popover } from './Popover';

/**
 * A menu opened by `trigger` (a Button or IconButton), and named by it: arrow keys move, typing
 * jumps, Escape closes and focus returns to the trigger. Controlled through `isOpen` when
 * something other than the trigger opens it too (a right-click, a key).
 */
export function Menu<T extends object>({
  trigger,
  isOpen,
  onOpenChange,
  children,
  ...props
}: Omit<MenuProps<T>, 'className'> & {
  trigger: ReactElement;
  isOpen?: boolean;
  onOpenChange?: (isOpen: boolean) => void;
}) {
  return (
    <MenuTrigger
      {...(isOpen === undefined ? {} : { isOpen })}
      {...(onOpenChange === undefined ? {} : { onOpenChange })}
    >
      {trigger}
      <Popover placement="bottom end">
        {/* Focus the first item however the menu opened (a right-click or key too, not only the
            trigger), so arrows and Enter work at once. */}
        <AriaMenu autoFocus="first" {...props} className="menu">
          {children}
        </AriaMenu>
      </Popover>
    </MenuTrigger>
  );
}

/** One entry of a Menu, with an optional icon before its label. */
export function MenuItem({
  icon,
  children,
  ...props
}: Omit<MenuItemProps, 'className' | 'children'> & { icon?: ReactNode; children: ReactNode }) {
  const textValue = typeof children === 'string' ? children : props.textValue;
  return (
    <AriaMenuItem
      {...props}
      {...(textValue === undefined ? {} : { textValue })}
      className="menu__item"
    >
      {icon !== undefined && (
        <span className="menu__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span className="menu__label">{children}</span>
    </AriaMenuItem>
  );
}
