import { describe, expect, it } from 'vitest';
import { moveIndex } from '../../../renderer/src/components/image-grid.tsx';

describe('moveIndex', () => {
  // 10 cells, 4 columns: rows [0..3] [4..7] [8, 9]
  const move = (key: string, index: number) => moveIndex(key, index, 10, 4, 2);

  it('steps by one cell or one row', () => {
    expect(move('ArrowRight', 1)).toBe(2);
    expect(move('ArrowLeft', 1)).toBe(0);
    expect(move('ArrowDown', 1)).toBe(5);
    expect(move('ArrowUp', 5)).toBe(1);
  });

  it('stays put at the edges and lands on the last cell under a short row', () => {
    expect(move('ArrowLeft', 0)).toBe(0);
    expect(move('ArrowRight', 9)).toBe(9);
    expect(move('ArrowUp', 2)).toBe(2);
    expect(move('ArrowDown', 9)).toBe(9);
    expect(move('ArrowDown', 7)).toBe(9);
  });

  it('pages, jumps to the ends, starts from nothing and ignores other keys', () => {
    expect(move('PageDown', 0)).toBe(8);
    expect(move('PageDown', 5)).toBe(9);
    expect(move('PageUp', 5)).toBe(0);
    expect(move('Home', 6)).toBe(0);
    expect(move('End', 1)).toBe(9);
    expect(move('ArrowDown', -1)).toBe(0);
    expect(move('ArrowUp', -1)).toBe(0);
    expect(move('End', -1)).toBe(9);
    expect(move('a', 3)).toBeNull();
    expect(moveIndex('ArrowRight', -1, 0, 4, 2)).toBeNull();
  });
});
