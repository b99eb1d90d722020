import { useEffect, useRef } from 'react';

/**
 * Scrolls the element into view when `key` changes to a non-null value after the first render:
 * what a click just opened below the fold (a run's details under a long table on a short window)
 * comes into sight, while arriving on a page with something already open moves nothing.
 */
export function useScrollIntoViewOnChange<T extends HTMLElement = HTMLDivElement>(
  key: number | string | null,
) {
  const ref = useRef<T>(null);
  const previous = useRef(key);
  useEffect(() => {
    if (key === previous.current) return;
    previous.current = key;
    if (key !== null) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [key]);
  return ref;
}
