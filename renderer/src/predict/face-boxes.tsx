import type { Prediction } from '../store/predict-slice.ts';
import { formatPercent } from '../format.ts';

/** Boxes with "label NN %" over an image, in the image's own pixel coordinates (SVG viewBox). */
export function FaceBoxes(props: {
  result: Pick<Prediction, 'width' | 'height' | 'faces'>;
  selected?: number | null;
  onSelect?: (face: number) => void;
  testId: string;
}) {
  const { width, height, faces } = props.result;
  const stroke = Math.max(2, Math.max(width, height) / 250);
  const font = Math.max(12, Math.max(width, height) / 40);
  return (
    <svg
      className="face-boxes"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      data-testid={props.testId}
      data-faces={faces.length}
    >
      {faces.map((face, i) => {
        const [x, y, w, h] = face.box;
        const confidence = Math.max(...face.probabilities);
        return (
          <g
            key={i}
            className={`face-box${props.selected === i ? ' selected' : ''}`}
            data-testid="face-box"
            data-label={face.label}
            onClick={() => props.onSelect?.(i)}
          >
            <rect x={x} y={y} width={w} height={h} strokeWidth={stroke} />
            <text x={x} y={y > font + 4 ? y - 4 : y + h + font} fontSize={font}>
              {i + 1}. {face.label} {formatPercent(confidence, 0)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
