import { useEffect, useRef } from 'react';

const SIDE = 48;

/** The 48×48 grayscale crop the model saw (base64 of 2,304 bytes), drawn pixel for pixel. */
export function CropCanvas(props: { crop: string; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const gray = Uint8Array.from(atob(props.crop), (c) => c.charCodeAt(0));
    const image = context.createImageData(SIDE, SIDE);
    gray.forEach((v, i) => {
      image.data.set([v, v, v, 255], i * 4);
    });
    context.putImageData(image, 0, 0);
  }, [props.crop]);
  const size = props.size ?? 144;
  return (
    <canvas
      ref={ref}
      className="pixelated crop-canvas"
      width={SIDE}
      height={SIDE}
      style={{ width: size, height: size }}
      data-testid="face-crop"
      aria-label="The 48×48 crop the model saw"
    />
  );
}
