import fs from 'node:fs';
import path from 'node:path';
import { CLASS_NAMES } from '../../contract/classes.ts';
import { StudioError } from '../../contract/errors.ts';
import type { RequestOf, ResponseOf } from '../../contract/handlers.ts';
import { annotatePhoto } from '../../predict/annotate.ts';
import { numberOption, UsageError, withStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff']);
/** Problems with one input file; anything else (no model, a bad run) stops the command. */
const PHOTO_CODES = new Set([
  'empty-file',
  'not-an-image',
  'corrupt-image',
  'too-large',
  'unreadable',
]);

/** Files given, plus the image files directly inside folders given, in name order. */
function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    const stat = fs.statSync(input, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) return [input];
    return fs
      .readdirSync(input)
      .filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()))
      .sort()
      .map((name) => path.join(input, name));
  });
}

type Prediction = ResponseOf<'predict-image'>;

function jsonLine(file: string, p: Prediction) {
  return {
    file,
    width: p.width,
    height: p.height,
    faces: p.faces.map((f) => ({
      box: f.box,
      score: f.score,
      label: f.label,
      probabilities: Object.fromEntries(CLASS_NAMES.map((name, i) => [name, f.probabilities[i]])),
    })),
  };
}

function humanLine(file: string, p: Prediction): string {
  if (p.faces.length === 0)
    return `${file} (${p.width}×${p.height}): no face found; --no-detect uses the whole image`;
  const faces = p.faces.map((f) => {
    const confidence = Math.max(...f.probabilities);
    return `${f.label} ${(confidence * 100).toFixed(1)} % at [${f.box.join(', ')}]`;
  });
  return `${file} (${p.width}×${p.height}): ${faces.length} face${faces.length === 1 ? '' : 's'}: ${faces.join('; ')}`;
}

/**
 * `predict --run N <image|folder>...`: one line per image (JSON with --json). A file that cannot be
 * read gets an error line and exit code 1; the other files are still predicted.
 */
export function predictCommand({ rest, values, out }: CommandContext): Promise<number> {
  if (rest.length === 0) throw new UsageError('predict needs at least one image file or folder.');
  const files = expandInputs(rest);
  if (files.length === 0)
    throw new UsageError('No image files (jpg, png, webp, gif, tif) in the folders given.');
  const annotateDir = values.annotate ? path.resolve(values.annotate) : null;
  if (annotateDir) fs.mkdirSync(annotateDir, { recursive: true });
  const runId = numberOption(values, 'run');
  return withStudio(values, async (studio) => {
    let failed = 0;
    for (const file of files) {
      const problem = (code: string, message: string) => {
        failed++;
        out({ file, error: { code, message } }, () => console.error(`${file}: ${message}`));
      };
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (error) {
        problem('unreadable', `Cannot read the file: ${(error as Error).message}`);
        continue;
      }
      const request: RequestOf<'predict-image'> = {
        file: path.basename(file),
        data: bytes.toString('base64'),
        detect: !values['no-detect'],
      };
      if (runId !== undefined) request.runId = runId;
      const reply = await studio.dispatch('predict-image', request);
      if (!reply.ok) {
        const [, code, message] = /^([a-z-]+): (.*)$/s.exec(reply.error.message) ?? [];
        if (code && message && PHOTO_CODES.has(code)) {
          problem(code, message);
          continue;
        }
        throw new StudioError(reply.error.code, reply.error.message);
      }
      const p = reply.result as Prediction;
      out(jsonLine(file, p), () => console.log(humanLine(file, p)));
      if (annotateDir) {
        const faces = p.faces.map((f) => ({
          box: f.box,
          label: f.label,
          confidence: Math.max(...f.probabilities),
        }));
        const target = path.join(annotateDir, `${path.parse(file).name}.annotated.png`);
        fs.writeFileSync(target, await annotatePhoto(bytes, faces));
      }
    }
    return failed > 0 ? 1 : 0;
  });
}
