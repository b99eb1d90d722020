import type { Preprocessing } from '../preprocessing/record.ts';

/** "64×64 RGB (…), values in [-1, 1], 7 outputs": how an imported model is fed, for people. */
export function describeInput(p: Preprocessing): string {
  const range = p.range.split(',').join(', ');
  const used = p.classOrder.filter((c) => c !== null).length;
  const outputs = p.classOrder.length;
  return [
    p.centerCrop ? `the centre ${p.centerCrop}×${p.centerCrop} of the face` : '',
    `${p.inputWidth}×${p.inputHeight} ${p.channels === 3 ? 'RGB (the gray image in all three channels)' : 'gray'}`,
    `values in [${range}]`,
    `${outputs} outputs${used < outputs ? `, ${used} used` : ''}`,
  ]
    .filter(Boolean)
    .join(', ');
}
