import {
  measureElement,
  observeElementRect,
  type Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/react-virtual';

type LayoutOptions = Pick<
  VirtualizerOptions<HTMLDivElement, Element>,
  'measureElement' | 'observeElementRect'
>;

/**
 * Measuring for a virtualized list that may not be laid out yet (a hidden pane, a first paint):
 * there sizes read as 0, so the list would render nothing and rows measured at 0 would pull ever
 * more rows in. A row then counts as `estimatedRowPx` and the viewport as the window's height.
 */
export function layoutFallbacks(estimatedRowPx: number): LayoutOptions {
  return {
    measureElement: (element, entry, instance: Virtualizer<HTMLDivElement, Element>) => {
      const size = measureElement(element, entry, instance);
      return size > 0 ? size : estimatedRowPx;
    },
    observeElementRect: (instance, notify) =>
      observeElementRect(instance, (rect) =>
        notify(rect.height > 0 ? rect : { width: rect.width, height: window.innerHeight }),
      ),
  };
}
