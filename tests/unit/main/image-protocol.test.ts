import { describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../app/contract/errors.ts';
import { ipcImageUrl } from '../../../app/contract/transport.ts';
import { createImageProtocolHandler, parseImageUrl } from '../../../main/image-protocol.ts';

const KEY = '0123456789abcdef0123456789abcdef';

describe('parseImageUrl', () => {
  it('reads the project key and the id from the contract URL', () => {
    expect(parseImageUrl(ipcImageUrl(KEY, 1))).toEqual({ imageKey: KEY, id: 1 });
    expect(parseImageUrl(ipcImageUrl(KEY, 123456))).toEqual({ imageKey: KEY, id: 123456 });
    expect(parseImageUrl(`fer-image://image/${KEY}/9007199254740991.png`)).toEqual({
      imageKey: KEY,
      id: Number.MAX_SAFE_INTEGER,
    });
  });

  it.each([
    ['traversal', `fer-image://image/${KEY}/../1.png`],
    ['encoded traversal', `fer-image://image/${KEY}/%2e%2e/1.png`],
    ['nested path', `fer-image://image/${KEY}/a/1.png`],
    ['non-digits', `fer-image://image/${KEY}/abc.png`],
    ['sign', `fer-image://image/${KEY}/-1.png`],
    ['fraction', `fer-image://image/${KEY}/1.5.png`],
    ['exponent', `fer-image://image/${KEY}/1e3.png`],
    ['leading zero', `fer-image://image/${KEY}/01.png`],
    ['zero', `fer-image://image/${KEY}/0.png`],
    ['beyond safe integers', `fer-image://image/${KEY}/9007199254740993.png`],
    ['huge', `fer-image://image/${'9'.repeat(40)}.png`],
    ['other host', 'fer-image://evil/1.png'],
    ['host with port', 'fer-image://image:80/1.png'],
    ['other scheme', 'file://image/1.png'],
    ['other extension', `fer-image://image/${KEY}/1.jpg`],
    ['query', `fer-image://image/${KEY}/1.png?x=1`],
    ['fragment', `fer-image://image/${KEY}/1.png#a`],
    ['trailing text', `fer-image://image/${KEY}/1.png/`],
    ['whitespace', ' fer-image://image/1.png'],
    ['no project key', 'fer-image://image/1.png'],
    ['short key', `fer-image://image/${KEY.slice(1)}/1.png`],
    ['upper-case key', `fer-image://image/${KEY.toUpperCase()}/1.png`],
    ['empty', ''],
  ])('rejects %s', (_name, url) => {
    expect(parseImageUrl(url)).toBeNull();
  });
});

describe('createImageProtocolHandler', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

  it('serves the studio PNG for a valid URL', async () => {
    const imagePng = vi.fn(async () => png);
    const response = await createImageProtocolHandler({ imagePng })(
      new Request(ipcImageUrl(KEY, 42)),
    );
    expect(imagePng).toHaveBeenCalledWith(KEY, 42);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
  });

  it('answers 400 without asking the studio for a malformed URL', async () => {
    const imagePng = vi.fn(async () => png);
    const response = await createImageProtocolHandler({ imagePng })(
      new Request('fer-image://other/42.png'),
    );
    expect(response.status).toBe(400);
    expect(imagePng).not.toHaveBeenCalled();
  });

  it('maps not-found to 404 and other failures to 500', async () => {
    const missing = createImageProtocolHandler({
      imagePng: async () => {
        throw new StudioError('not-found', 'no image 7');
      },
    });
    expect((await missing(new Request(ipcImageUrl(KEY, 7)))).status).toBe(404);
    const broken = createImageProtocolHandler({
      imagePng: async () => {
        throw new Error('disk on fire');
      },
    });
    const response = await broken(new Request(ipcImageUrl(KEY, 7)));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('disk on fire');
  });
});
