import type { ClassName } from '../contract/classes.ts';
import type { Rng } from '../util/rng.ts';

/** What an expression moves, in face units (1 = half the face width, +v points down). */
export interface ExpressionParams {
  /** Vertical shift of the brow's inner and outer ends (negative = raised). */
  browInnerDy: number;
  browOuterDy: number;
  /** Inner brow ends pulled towards the nose (angry, fear). */
  browSqueeze: number;
  /** Arch height of the brow's middle above the straight line. */
  browArch: number;
  /** Half-height of the eye opening. */
  eyeOpen: number;
  /** How much a raised cheek pushes the lower lid up (happy squint). */
  lowerLid: number;
  /** Corners up (+, smile) or down (−), relative to the mouth's centre. */
  mouthLift: number;
  mouthWidth: number;
  /** Opening above and below the lip line. */
  mouthOpenUp: number;
  mouthOpenDown: number;
  /** Profile exponent of the opening: 0.5 round (surprise) … 1.2 slit-like. */
  mouthRound: number;
  /** Lip line tilted, one corner higher (disgust sneer). */
  mouthAsym: number;
  /** Bright band inside an open mouth, 0..1. */
  teeth: number;
  noseWrinkle: number;
  cheekRaise: number;
  nasolabial: number;
  /** Vertical furrow lines between the brows. */
  furrow: number;
}

/** Who the face belongs to and how it was photographed. */
export interface FaceParams extends ExpressionParams {
  centreX: number;
  centreY: number;
  /** Pixels per face unit. */
  scale: number;
  angle: number;
  /** Head turn: features slide sideways, the far cheek narrows. */
  yaw: number;
  faceWidth: number;
  faceHeight: number;
  eyeSpacing: number;
  eyeY: number;
  browGap: number;
  browThickness: number;
  noseY: number;
  mouthY: number;
  gazeX: number;
  skin: number;
  hair: number;
  hairline: number;
  longHair: boolean;
  fringe: number;
  browTone: number;
  lipTone: number;
  background: number;
  backgroundSlope: number;
  shirt: number;
  glasses: boolean;
  lightX: number;
  lightY: number;
  contrast: number;
  brightness: number;
  noise: number;
  /** Edge softness in pixels: stands in for the blur of real, upscaled webcam crops. */
  softness: number;
}

const NEUTRAL: ExpressionParams = {
  browInnerDy: 0,
  browOuterDy: 0,
  browSqueeze: 0,
  browArch: 0.04,
  eyeOpen: 0.085,
  lowerLid: 0,
  mouthLift: 0,
  mouthWidth: 0.36,
  mouthOpenUp: 0,
  mouthOpenDown: 0,
  mouthRound: 1,
  mouthAsym: 0,
  teeth: 0,
  noseWrinkle: 0,
  cheekRaise: 0,
  nasolabial: 0.15,
  furrow: 0,
};

/** Displacement from neutral at full intensity; each face scales it by a random intensity. */
const DELTAS: Record<ClassName, Partial<ExpressionParams>> = {
  angry: {
    browInnerDy: 0.13,
    browOuterDy: -0.03,
    browSqueeze: 0.06,
    browArch: -0.04,
    eyeOpen: -0.035,
    mouthLift: -0.03,
    mouthWidth: -0.05,
    furrow: 0.9,
  },
  disgust: {
    browInnerDy: 0.07,
    browSqueeze: 0.03,
    eyeOpen: -0.035,
    mouthLift: -0.05,
    mouthOpenUp: 0.045,
    mouthRound: 0.1,
    mouthAsym: 0.09,
    teeth: 0.5,
    noseWrinkle: 1,
    nasolabial: 0.75,
  },
  fear: {
    browInnerDy: -0.15,
    browOuterDy: -0.07,
    browSqueeze: 0.03,
    browArch: -0.03,
    eyeOpen: 0.045,
    mouthLift: -0.04,
    mouthWidth: 0.08,
    mouthOpenUp: 0.04,
    mouthOpenDown: 0.12,
    mouthRound: -0.15,
    teeth: 0.6,
  },
  happy: {
    eyeOpen: -0.02,
    lowerLid: 0.35,
    mouthLift: 0.13,
    mouthWidth: 0.08,
    mouthOpenUp: 0.02,
    mouthOpenDown: 0.1,
    teeth: 1,
    cheekRaise: 1,
    nasolabial: 0.6,
  },
  neutral: {},
  sad: {
    browInnerDy: -0.1,
    browOuterDy: 0.05,
    browArch: -0.03,
    eyeOpen: -0.02,
    mouthLift: -0.1,
    mouthWidth: -0.03,
    nasolabial: 0.2,
  },
  surprise: {
    browInnerDy: -0.19,
    browOuterDy: -0.15,
    browArch: 0.05,
    eyeOpen: 0.06,
    mouthWidth: -0.16,
    mouthOpenUp: 0.08,
    mouthOpenDown: 0.17,
    mouthRound: -0.5,
  },
};

const EXPRESSION_KEYS = Object.keys(NEUTRAL) as (keyof ExpressionParams)[];

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Some faces are weak or mixed, so neighbouring classes overlap as in real data. */
function sampleExpression(expression: ClassName, rng: Rng): ExpressionParams {
  const intensity = rng.uniform(0.7, 1.3);
  const delta = DELTAS[expression];
  const out = { ...NEUTRAL };
  for (const key of EXPRESSION_KEYS) out[key] = NEUTRAL[key] + intensity * (delta[key] ?? 0);
  // Happy mouths are sometimes closed smiles, angry ones sometimes bared teeth.
  if (expression === 'happy' && rng.next() < 0.4) {
    out.mouthOpenUp = 0;
    out.mouthOpenDown *= 0.2;
  }
  if (expression === 'angry' && rng.next() < 0.3) {
    out.mouthOpenUp = 0.03;
    out.mouthOpenDown = 0.05;
    out.mouthRound = 0.4;
    out.teeth = 0.9;
  }
  if (expression === 'disgust' && rng.next() < 0.5) out.mouthAsym = -out.mouthAsym;
  // Individual jitter, independent of the class.
  out.browInnerDy += 0.025 * rng.normal();
  out.browOuterDy += 0.02 * rng.normal();
  out.eyeOpen = clamp(out.eyeOpen + 0.012 * rng.normal(), 0.03, 0.17);
  out.mouthLift += 0.025 * rng.normal();
  out.mouthWidth = clamp(out.mouthWidth * (1 + 0.08 * rng.normal()), 0.16, 0.55);
  out.mouthOpenDown = Math.max(0, out.mouthOpenDown + 0.012 * rng.normal());
  out.mouthOpenUp = Math.max(0, out.mouthOpenUp + 0.006 * rng.normal());
  out.mouthRound = clamp(out.mouthRound, 0.45, 1.3);
  return out;
}

export function sampleFaceParams(expression: ClassName, rng: Rng): FaceParams {
  const expr = sampleExpression(expression, rng);
  const hairDark = rng.next() < 0.75;
  return {
    ...expr,
    centreX: 24 + 1.1 * rng.normal(),
    centreY: 25.5 + 1.0 * rng.normal(),
    scale: 22 * rng.uniform(0.9, 1.1),
    angle: clamp(0.07 * rng.normal(), -0.2, 0.2),
    yaw: clamp(0.2 * rng.normal(), -0.45, 0.45),
    faceWidth: rng.uniform(0.88, 1.02),
    faceHeight: rng.uniform(1.06, 1.18),
    eyeSpacing: rng.uniform(0.4, 0.5),
    eyeY: rng.uniform(-0.33, -0.25),
    browGap: rng.uniform(0.17, 0.23),
    browThickness: rng.uniform(0.04, 0.075),
    noseY: rng.uniform(0.15, 0.24),
    mouthY: rng.uniform(0.5, 0.6),
    gazeX: 0.03 * rng.normal(),
    skin: rng.uniform(0.35, 0.85),
    hair: hairDark ? rng.uniform(0.03, 0.3) : rng.uniform(0.45, 0.85),
    hairline: rng.uniform(-1.0, -0.72),
    longHair: rng.next() < 0.4,
    fringe: rng.uniform(0, 1),
    browTone: rng.uniform(0.05, 0.35),
    lipTone: rng.uniform(0.6, 0.85),
    background: rng.uniform(0.05, 0.95),
    backgroundSlope: 0.3 * rng.normal(),
    shirt: rng.uniform(0.05, 0.9),
    glasses: rng.next() < 0.12,
    lightX: 0.25 * rng.normal(),
    lightY: 0.1 * rng.normal(),
    contrast: rng.uniform(0.7, 1.25),
    brightness: 0.08 * rng.normal(),
    noise: rng.uniform(0.005, 0.035),
    softness: rng.uniform(0.9, 1.7),
  };
}
