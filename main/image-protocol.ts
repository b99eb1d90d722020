import { IMAGE_PROTOCOL } from '../app/contract/transport.ts';
import { StudioError } from '../app/contract/errors.ts';
import type { Studio } from '../app/studio.ts';

// Canonical form only (what ipcImageUrl emits): no leading zeros, no query, no encoding tricks.
const IMAGE_URL = new RegExp(`^${IMAGE_PROTOCOL}://image/([1-9][0-9]{0,15})\\.png$`);

/** The image id in `fer-image://image/<id>.png`, or null for anything else. */
export function parseImageUrl(url: string): number | null {
  const match = IMAGE_URL.exec(url);
  if (!match?.[1]) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** `protocol.handle` callback that serves an image's stored pixels as PNG. */
export function createImageProtocolHandler(
  studio: Pick<Studio, 'imagePng'>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const id = parseImageUrl(request.url);
    if (id === null) return new Response('Bad image URL', { status: 400 });
    try {
      const png = await studio.imagePng(id);
      return new Response(new Uint8Array(png), {
        status: 200,
        headers: { 'Content-Type': 'image/png', 'X-Content-Type-Options': 'nosniff' },
      });
    } catch (error) {
      const notFound = error instanceof StudioError && error.code === 'not-found';
      return new Response(notFound ? 'Not found' : 'Image unavailable', {
        status: notFound ? 404 : 500,
      });
    }
  };
}
