import { IMAGE_PROTOCOL } from '../app/contract/transport.ts';
import { StudioError } from '../app/contract/errors.ts';
import type { Studio } from '../app/studio.ts';

// Canonical form only (what ipcImageUrl emits): no leading zeros, no query, no encoding tricks.
const IMAGE_URL = new RegExp(`^${IMAGE_PROTOCOL}://image/([0-9a-f]{32})/([1-9][0-9]{0,15})\\.png$`);

/** The project's image key and the image id in `fer-image://image/<key>/<id>.png`, or null for anything else. */
export function parseImageUrl(url: string): { imageKey: string; id: number } | null {
  const match = IMAGE_URL.exec(url);
  if (!match?.[1] || !match[2]) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { imageKey: match[1], id } : null;
}

/** `protocol.handle` callback that serves an image's stored pixels as PNG. */
export function createImageProtocolHandler(
  studio: Pick<Studio, 'imagePng'>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const parsed = parseImageUrl(request.url);
    if (parsed === null) return new Response('Bad image URL', { status: 400 });
    try {
      const png = await studio.imagePng(parsed.imageKey, parsed.id);
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
