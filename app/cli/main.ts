import { parseArgs } from 'node:util';
import { StudioError } from '../contract/errors.ts';
import { OPTIONS, UsageError } from './args.ts';
import type { Command } from './args.ts';
import { importCommand, sampleCommand, statsCommand } from './commands/catalogue.ts';
import { evaluateCommand, issuesCommand } from './commands/evaluate.ts';
import { exportCommand, exportDatasetCommand, reportCommand } from './commands/export.ts';
import { imagesCommand, relabelCommand, undoRedoCommand } from './commands/labels.ts';
import { importModelCommand } from './commands/import-model.ts';
import { predictCommand } from './commands/predict.ts';
import { serveCommand } from './commands/serve.ts';
import {
  projectDeleteCommand,
  projectRenameCommand,
  projectsCommand,
} from './commands/projects.ts';
import { runsCommand, trainCommand } from './commands/train.ts';

const USAGE = `fer-studio — FER Studio from the command line (JSON on stdout with --json, progress on stderr)

  fer-studio import <folder> --catalog <file.sqlite> [--test-fraction 0.2] [--seed 1] [--json]
  fer-studio stats --catalog <file.sqlite> [--json]
  fer-studio serve [--catalog <file.sqlite> | --project <folder>] [--port P] [--host 127.0.0.1]
  fer-studio sample <folder> [--per-class N (150)] [--seed 1]
  fer-studio projects [--json]
  fer-studio project-rename --project <folder> --name <name> [--json]
  fer-studio project-delete <folder> --yes [--json]
      deletes a project folder with its catalogue, runs and models; without --yes it only says
      what would go (quit an app or serve that has it open first)
  fer-studio train --catalog <file.sqlite> [--model NAME] [--epochs N] [--batch-size B] [--lr X]
                   [--optimizer adam|sgd] [--momentum M] [--weight-decay WD]
                   [--schedule plateau|cosine|step|constant] [--warmup EPOCHS] [--crop PX] [--padding PX]
                   [--label-smoothing S] [--dropout P] [--no-early-stop] [--no-recalibrate-bn] [--seed S]
                   [--backend auto|tensorflow|wasm|cpu] [--resume RUN] [--json]
      default recipe: compact-cnn-w24, sgd (Nesterov momentum 0.9) at 0.05 with weight decay 5e-4
      (L2 on kernels; adam's defaults are 1e-3 and 0), cosine after 1 warm-up epoch, 48 epochs,
      random 44-px crops (predicts on the centre crop), label smoothing 0.1, batch norm recalibrated
      on the train images after training; a recipe that cannot work is refused up front. --seed
      (default 1) pins the split, shuffle, augmentation, dropout and initial weights: the same
      recipe and seed train to the same weights
  fer-studio runs --catalog <file.sqlite> [--json]
  fer-studio evaluate --catalog <file.sqlite> --run ID [--split test|val] [--tta flip] [--json]
      --tta flip also scores each image by the mean of its and its mirror's prediction, printed
      beside the plain figure (exports stay plain)
  fer-studio issues --catalog <file.sqlite> --run ID [--method training-dynamics|k-fold] [--reading people|model] [--limit N] [--folds K] [--epochs E] [--json]
  fer-studio images --catalog <file.sqlite> [--split train|test] [--label CLASS|exclude] [--json]
  fer-studio relabel --catalog <file.sqlite> --image ID --label CLASS|exclude [--json]
  fer-studio undo|redo --catalog <file.sqlite> [--json]
  fer-studio export --catalog <file.sqlite> --run ID --format tfjs|onnx|keras --out <path> [--force] [--json]
  fer-studio export-dataset --catalog <file.sqlite> --out <folder> [--force] [--churn] [--json]
  fer-studio import-model --catalog <file.sqlite> <model.keras|model.h5|tfjs folder> [--name TEXT]
                   [--input-range 0,1|-1,1|0,255] [--classes c0,c1,…] [--json]
      a Keras 3 (.keras, .h5), Keras 2 / tf.keras 2.x (.h5) or TensorFlow.js model becomes a
      finished run; --classes names each output's class in order ("-" ignores one; default: the
      studio's alphabetical order; FER-2013 CSV order is angry,disgust,fear,happy,sad,surprise,neutral)
  fer-studio report --catalog <file.sqlite> --run ID --out <folder> [--force] [--churn] [--json]
  fer-studio predict --catalog <file.sqlite> [--run ID] <image|folder>... [--json] [--annotate DIR]
                   [--no-detect]
      finds every face (TinyFaceDetector), predicts its emotion with the run's model (default: the
      latest finished run); images of at most 96 px a side are taken as one face crop; --no-detect
      takes every whole image as one face crop (for crops like FER-2013's); --annotate writes
      <name>.annotated.png copies with boxes and labels

Every --catalog <file.sqlite> may be --project <folder> instead: a folder holding catalogue.sqlite
and runs/ (a new or empty folder becomes one). A catalogue x.sqlite keeps its runs in x.sqlite.studio/.
Without either, the catalogue is the default project's, <data dir>/projects/default; the data dir
is --data-dir, $FER_STUDIO_DATA or ~/.fer-studio.`;

const COMMANDS = new Map<string, Command>([
  ['import', importCommand],
  ['stats', statsCommand],
  ['sample', sampleCommand],
  ['train', trainCommand],
  ['runs', runsCommand],
  ['evaluate', evaluateCommand],
  ['issues', issuesCommand],
  ['images', imagesCommand],
  ['relabel', relabelCommand],
  ['undo', undoRedoCommand],
  ['redo', undoRedoCommand],
  ['export', exportCommand],
  ['export-dataset', exportDatasetCommand],
  ['report', reportCommand],
  ['predict', predictCommand],
  ['import-model', importModelCommand],
  ['serve', serveCommand],
  ['projects', projectsCommand],
  ['project-rename', projectRenameCommand],
  ['project-delete', projectDeleteCommand],
]);

/** Flags whose value may start with "-" (`--input-range -1,1`, `--classes -,happy,…`). */
const DASH_VALUES = new Set(['--input-range', '--classes']);

/** parseArgs reads `--input-range -1,1` as two flags; joined to `--input-range=-1,1` it is a value. */
function joinNegativeValues(argv: string[]): string[] {
  return argv.flatMap((arg, i) =>
    DASH_VALUES.has(arg) && argv[i + 1]?.startsWith('-')
      ? [`${arg}=${argv[i + 1]}`]
      : i > 0 && DASH_VALUES.has(argv[i - 1] ?? '') && arg.startsWith('-')
        ? []
        : [arg],
  );
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const run = COMMANDS.get(command);
  if (!run) throw new UsageError(`Unknown command "${command}".`);
  const out = (value: unknown, human: () => void) =>
    values.json ? console.log(JSON.stringify(value)) : human();
  return run({ command, rest, values, out });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof StudioError) {
      console.error(`error (${error.code}): ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
