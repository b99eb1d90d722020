import { useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

export interface Size {
  width: number;
  height: number;
}

/**
 * The element's content size (or its parent's, with `of: 'parent'`), kept current by a
 * ResizeObserver.
 */
export function useElementSize(
  ref: RefObject<HTMLElement | null>,
  of: 'self' | 'parent' = 'self',
): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = of === 'parent' ? (ref.current?.parentElement ?? null) : ref.current;
    if (!element) return;
    const measure = () =>
      setSize((previous) => {
        const next = { width: element.clientWidth, height: element.clientHeight };
        return previous.width === next.width && previous.height === next.height ? previous : next;
      });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, of]);
  return size;
}
