import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import type { ClassName } from '../contract/classes.ts';
import type { Rng } from '../util/rng.ts';
import { sampleFaceParams } from './face-params.ts';
import type { FaceParams } from './face-params.ts';
import { coverage, ellipseSdf, over, segmentDistance, strokeSdf } from './face-shapes.ts';
import type { Stroke } from './face-shapes.ts';

/** A FER-like 48×48 grayscale face (row-major, 0..255) drawn with `expression` and random pose, identity and lighting. */
export function renderFace(expression: ClassName, rng: Rng): Uint8Array {
  return drawFace(sampleFaceParams(expression, rng), rng);
}

function brow(p: FaceParams, side: -1 | 1, fx: number): Stroke {
  const baseY = p.eyeY - p.browGap;
  const innerX = side * (p.eyeSpacing - 0.27 - p.browSqueeze) + fx;
  const outerX = side * (p.eyeSpacing + 0.25) + fx;
  const innerY = baseY + p.browInnerDy;
  const outerY = baseY + p.browOuterDy + 0.03;
  return {
    ax: innerX,
    ay: innerY,
    mx: side * (p.eyeSpacing + 0.02) + fx,
    my: (innerY + outerY) / 2 - p.browArch - 0.02,
    bx: outerX,
    by: outerY,
    thickA: p.browThickness,
    thickB: p.browThickness * 0.7,
  };
}

export function drawFace(p: FaceParams, rng: Rng): Uint8Array {
  const out = new Uint8Array(PIXELS_PER_IMAGE);
  // A local xorshift for per-pixel noise: the shared Rng returns boxed doubles, too slow for 2304 calls.
  let noiseState = (rng.int(0xffffffff) | 1) >>> 0;
  const cos = Math.cos(p.angle);
  const sin = Math.sin(p.angle);
  const aa = p.softness / p.scale;
  const fx = p.yaw * 0.16;
  const headX = p.yaw * 0.05;
  const browL = brow(p, -1, fx);
  const browR = brow(p, 1, fx);
  const eyeXs = [-p.eyeSpacing * (1 + p.yaw * 0.1) + fx, p.eyeSpacing * (1 - p.yaw * 0.1) + fx];
  const sclera = Math.min(0.92, p.skin + 0.16);
  const lip = p.skin * p.lipTone;
  const mouthX = fx * 1.1;
  const mouthW = p.mouthWidth;
  const noseDx = 0.1 + 0.02 * p.noseWrinkle;
  const nostrilY = p.noseY + 0.02 - 0.04 * p.noseWrinkle;
  const shadowSide = p.lightX > 0 ? -1 : 1;

  const { centreX, centreY } = p;
  const invScale = 1 / p.scale;
  for (let py = 0; py < IMAGE_SIZE; py++) {
    const y = py + 0.5 - centreY;
    for (let px = 0; px < IMAGE_SIZE; px++) {
      const x = px + 0.5 - centreX;
      const u = (cos * x + sin * y) * invScale;
      const v = (-sin * x + cos * y) * invScale;

      // Background, shoulders, neck.
      let c = p.background + p.backgroundSlope * (px / IMAGE_SIZE - 0.5);
      if (v > 0.5) {
        c = over(c, p.shirt, coverage(Math.max(0.95 - v + 0.15 * u * u, Math.abs(u) - 1.7), aa));
        c = over(c, p.skin * 0.72, coverage(Math.max(Math.abs(u - headX) - 0.5, 0.55 - v), aa));
      }
      const hu = u - headX;
      if (p.longHair) {
        const d = Math.max(
          ellipseSdf(hu, v + 0.05, p.faceWidth * 1.28, p.faceHeight * 1.15),
          v - 0.95,
        );
        c = over(c, p.hair * 0.9, coverage(d, aa));
      } else if (Math.abs(hu) > 0.75 && Math.abs(v - p.eyeY - 0.2) < 0.3) {
        const d = ellipseSdf(Math.abs(hu) - p.faceWidth * 0.97, v - p.eyeY - 0.2, 0.12, 0.22);
        c = over(c, p.skin * 0.8, coverage(d, aa));
      }

      // Head: narrower towards the chin, darker at the rim so it reads as round.
      const rx = p.faceWidth * (v > 0 ? 1 - 0.32 * (v / p.faceHeight) ** 2 : 1);
      const head = ellipseSdf(hu * (1 + p.yaw * Math.sign(hu) * 0.15), v, rx, p.faceHeight);
      const headCover = coverage(head, aa);
      if (headCover > 0) {
        const r2 = (hu / rx) ** 2 + (v / p.faceHeight) ** 2;
        let skin = p.skin * (1 - 0.3 * r2 * r2 * r2);
        // Eye sockets are shaded, which is most of what makes a face read as a face at 48 px.
        if (Math.abs(v - p.eyeY) < 0.45) {
          const dv = (v - p.eyeY + 0.04) / 0.16;
          const du = (Math.abs(u - fx) - p.eyeSpacing) / 0.3;
          // (1 - r²/4)³ is a cheap stand-in for a Gaussian falloff.
          const fall = 1 - (du * du + dv * dv) / 4;
          if (fall > 0) skin *= 1 - 0.16 * fall * fall * fall;
        }
        c = over(c, skin, headCover);
      }

      // Hair on top, with an optional fringe.
      if (v < 0.3) {
        const hairEdge =
          p.hairline +
          0.45 * hu * hu +
          p.fringe * 0.12 * Math.max(0, Math.cos(hu * 5 + p.fringe * 3));
        const hairShape = Math.max(
          ellipseSdf(hu, v + 0.06, p.faceWidth * 1.05, p.faceHeight * 1.04),
          v - hairEdge,
        );
        const hairCover = coverage(hairShape, aa);
        if (hairCover > 0) c = over(c, p.hair + 0.025 * Math.sin(hu * 31 + v * 7), hairCover);
      }

      if (v < p.eyeY + 0.25 && v > p.eyeY - 0.5) {
        const browD = strokeSdf(u, v, u < fx ? browL : browR);
        c = over(c, p.browTone, 0.9 * coverage(browD, aa));
        if (p.furrow > 0) {
          const top = Math.min(browL.ay, browR.ay) - 0.02;
          const d = Math.min(
            segmentDistance(u, v, fx - 0.05, top, fx - 0.04, top + 0.13),
            segmentDistance(u, v, fx + 0.05, top, fx + 0.04, top + 0.13),
          );
          c = over(c, p.skin * 0.55, 0.6 * p.furrow * coverage(d - 0.014, aa));
        }
        for (const ex of eyeXs)
          if (Math.abs(u - ex) < 0.3) c = drawEye(c, u - ex, v - p.eyeY, p, aa, sclera);
        if (p.glasses) {
          for (const ex of eyeXs) {
            const d = Math.abs(ellipseSdf(u - ex, v - p.eyeY - 0.03, 0.27, 0.19)) - 0.018;
            c = over(c, 0.08, 0.85 * coverage(d, aa));
          }
          const bridge = segmentDistance(u, v, eyeXs[0]! + 0.27, p.eyeY, eyeXs[1]! - 0.27, p.eyeY);
          c = over(c, 0.08, 0.85 * coverage(bridge - 0.018, aa));
        }
      }

      if (v > p.eyeY - 0.1 && v < p.mouthY + 0.35) {
        c = drawNoseAndCheeks(c, u - fx, v, p, aa, noseDx, nostrilY, shadowSide);
        c = drawMouth(c, u - mouthX, v, p, aa, mouthW, lip);
      }

      c *= 1 + p.lightX * u + p.lightY * v;
      // Sum of four uniforms: close enough to Gaussian noise and much cheaper than Box–Muller.
      noiseState ^= noiseState << 13;
      noiseState ^= noiseState >>> 17;
      noiseState ^= noiseState << 5;
      const noise = ((noiseState & 0xffff) + (noiseState >>> 16) - 65535) / 26755;
      c = (c - 0.5) * p.contrast + 0.5 + p.brightness + p.noise * noise;
      out[py * IMAGE_SIZE + px] = c <= 0 ? 0 : c >= 1 ? 255 : (c * 255 + 0.5) | 0;
    }
  }
  return out;
}

function drawEye(
  c: number,
  du: number,
  dv: number,
  p: FaceParams,
  aa: number,
  sclera: number,
): number {
  // The lower lid rises with the cheeks, so the opening is an ellipse with a shorter bottom half.
  const ry = dv < 0 ? p.eyeOpen : p.eyeOpen * (1 - p.lowerLid);
  const eye = ellipseSdf(du, dv, 0.19, Math.max(ry, 0.01));
  const inside = coverage(eye, aa);
  if (inside > 0) {
    const iris = coverage(ellipseSdf(du - p.gazeX, dv - 0.01, 0.085, 0.085), aa);
    c = over(c, over(sclera, 0.1, iris), inside);
  }
  // Upper lash line and lid crease; both stay visible when the eye is narrowed.
  if (dv < 0.02) {
    const lash = Math.abs(ellipseSdf(du, dv, 0.2, p.eyeOpen + 0.015)) - 0.022;
    c = over(c, 0.1, 0.8 * coverage(lash, aa));
    const crease = Math.abs(ellipseSdf(du, dv + 0.01, 0.2, p.eyeOpen + 0.07)) - 0.012;
    c = over(c, p.skin * 0.6, 0.35 * coverage(Math.max(crease, dv + 0.03), aa));
  }
  if (p.lowerLid > 0 && dv > 0) {
    const bag = Math.abs(ellipseSdf(du, dv + 0.02, 0.19, ry + 0.07)) - 0.012;
    c = over(c, p.skin * 0.55, 0.6 * p.lowerLid * coverage(bag, aa));
  }
  return c;
}

function drawNoseAndCheeks(
  c: number,
  u: number,
  v: number,
  p: FaceParams,
  aa: number,
  noseDx: number,
  nostrilY: number,
  shadowSide: number,
): number {
  const au = Math.abs(u);
  if (au < 0.25 && v < p.noseY + 0.1) {
    const side = segmentDistance(
      u,
      v,
      shadowSide * 0.07,
      p.eyeY + 0.08,
      shadowSide * 0.11,
      p.noseY - 0.02,
    );
    c = over(c, p.skin * 0.65, 0.3 * coverage(side - 0.035, aa * 3));
    const tip = ellipseSdf(u, v - p.noseY + 0.05, 0.07, 0.06);
    c = over(c, Math.min(1, p.skin * 1.15), 0.4 * coverage(tip, aa * 2));
    const nostril = ellipseSdf(au - noseDx, v - nostrilY, 0.045 + 0.015 * p.noseWrinkle, 0.028);
    c = over(c, p.skin * 0.3, 0.75 * coverage(nostril, aa));
  }
  if (p.noseWrinkle > 0 && au < 0.12 && v < p.eyeY + 0.2) {
    for (let i = 0; i < 3; i++) {
      const wy = p.eyeY + 0.02 + i * 0.055;
      const d = segmentDistance(u, v, -0.07, wy, 0.07, wy + 0.01);
      c = over(c, p.skin * 0.55, 0.5 * p.noseWrinkle * coverage(d - 0.012, aa));
    }
  }
  for (let s = -1; s <= 1; s += 2) {
    if (s * u < 0) continue;
    if (p.cheekRaise > 0.01) {
      const cheek = ellipseSdf(
        u - s * (p.eyeSpacing + 0.03),
        v - p.noseY + 0.04 * p.cheekRaise,
        0.2,
        0.14,
      );
      c = over(c, Math.min(1, p.skin * 1.2), 0.45 * p.cheekRaise * coverage(cheek, aa * 4));
    }
    // Nasolabial fold from the nose wing to just outside the mouth corner.
    const cornerY = p.mouthY - p.mouthLift - s * p.mouthAsym;
    if (p.nasolabial < 0.02 || au > p.mouthWidth + 0.16 || v < p.noseY - 0.04 || v > cornerY + 0.1)
      continue;
    const fold = Math.min(
      segmentDistance(u, v, s * 0.16, p.noseY, s * (p.mouthWidth + 0.03), (p.noseY + cornerY) / 2),
      segmentDistance(
        u,
        v,
        s * (p.mouthWidth + 0.03),
        (p.noseY + cornerY) / 2,
        s * (p.mouthWidth + 0.1),
        cornerY + 0.06,
      ),
    );
    c = over(c, p.skin * 0.5, 0.55 * p.nasolabial * coverage(fold - 0.018, aa));
  }
  return c;
}

function drawMouth(
  c: number,
  u: number,
  v: number,
  p: FaceParams,
  aa: number,
  w: number,
  lip: number,
): number {
  const t = u / w;
  if (t < -1.25 || t > 1.25) return c;
  const tc = t < -1 ? -1 : t > 1 ? 1 : t;
  const prof = Math.pow(Math.max(0, 1 - tc * tc), p.mouthRound);
  const centre = p.mouthY - p.mouthLift * tc * tc + p.mouthAsym * tc;
  const top = centre - p.mouthOpenUp * prof;
  const bottom = centre + p.mouthOpenDown * prof;
  const ends = (Math.abs(t) - 1) * w;
  // Lips: a band around the opening, thinner at the corners.
  const lipUp = top - 0.035 * Math.sqrt(1 - tc * tc) - 0.006;
  const lipDown = bottom + 0.05 * Math.sqrt(1 - tc * tc) + 0.006;
  c = over(c, lip, coverage(Math.max(lipUp - v, v - lipDown, ends), aa));
  c = over(
    c,
    p.skin * 0.6,
    0.3 * coverage(Math.max(lipDown + 0.02 - v, v - lipDown - 0.07, ends), aa * 3),
  );
  const open = p.mouthOpenUp + p.mouthOpenDown;
  if (open > 0.012) {
    const cavity = coverage(Math.max(top - v, v - bottom, ends), aa);
    const teethBand = Math.min(0.06, open * 0.45);
    const teeth = p.teeth * coverage(Math.max(top - v, v - top - teethBand), aa);
    c = over(c, over(0.08, 0.8, teeth), cavity);
  }
  // The lip line stays dark even for a closed mouth; corners get a small dimple.
  const line = Math.max(Math.abs(v - centre) - 0.015, ends - 0.02);
  c = over(c, 0.12, 0.85 * coverage(line, aa));
  return c;
}
