import sharp from 'sharp';

export interface AnnotatedFace {
  box: readonly [number, number, number, number];
  label: string;
  confidence: number;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A PNG copy of the photo, upright, with each face's box and "label NN %" drawn on it (an SVG
 * overlay rendered by libvips, so no canvas dependency).
 */
export async function annotatePhoto(
  bytes: Uint8Array,
  faces: readonly AnnotatedFace[],
): Promise<Buffer> {
  const upright = sharp(bytes, { failOn: 'error' }).rotate();
  const { data, info } = await upright.png().toBuffer({ resolveWithObject: true });
  const stroke = Math.max(2, Math.round(Math.max(info.width, info.height) / 300));
  const font = Math.max(12, Math.round(Math.max(info.width, info.height) / 45));
  const shapes = faces.map(({ box: [x, y, w, h], label, confidence }) => {
    const text = escapeXml(`${label} ${(confidence * 100).toFixed(0)} %`);
    const ty = y > font + 4 ? y - 4 : y + h + font;
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#ffd400" stroke-width="${stroke}"/>
<text x="${x}" y="${ty}" font-family="sans-serif" font-size="${font}" fill="#ffd400" stroke="#000" stroke-width="${stroke / 2}" paint-order="stroke">${text}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${shapes.join('')}</svg>`;
  return sharp(data)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
}
