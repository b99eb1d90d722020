import { parseArgs } from 'node:util';
import { describe, expect, test } from 'vitest';
import { OPTIONS, UsageError } from '../../../app/cli/args.ts';
import { trainingConfig } from '../../../app/cli/commands/train.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { sampleCatalogueFolder } from '../core/cli-helpers.ts';

const flags = (...args: string[]) =>
  parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }).values;

describe('fer-studio train recipe flags', () => {
  test('map onto the training config, leaving the rest to its defaults', () => {
    const config = parseTrainConfig(
      trainingConfig(
        flags(
          ...['--optimizer', 'sgd', '--momentum', '0.8', '--weight-decay', '5e-4'],
          ...['--schedule', 'cosine', '--warmup', '2', '--crop', '44', '--padding', '2'],
          ...[
            '--label-smoothing',
            '0.1',
            '--dropout',
            '0.2',
            '--no-early-stop',
            '--no-recalibrate-bn',
          ],
          ...['--seed', '7'],
        ),
      ),
    );
    expect(config.optimizer).toEqual({
      name: 'sgd',
      momentum: 0.8,
      nesterov: true,
      weightDecay: 5e-4,
    });
    expect(config.schedule).toMatchObject({ kind: 'cosine', warmupEpochs: 2 });
    expect(config.augmentation).toMatchObject({ crop: { size: 44, padding: 2 }, rotationDeg: 10 });
    expect(config).toMatchObject({
      labelSmoothing: 0.1,
      dropout: 0.2,
      recalibrateBatchNorm: false,
      seed: 7,
    });
    expect(parseTrainConfig(trainingConfig(flags())).recalibrateBatchNorm).toBe(true);
    expect(() => parseTrainConfig(trainingConfig(flags('--seed', '1.5')))).toThrow(/seed/);
    expect(config.earlyStopping.enabled).toBe(false);
    expect(trainingConfig(flags())).toEqual({});
  });

  test('an unknown optimizer or schedule is a usage error naming the choices', () => {
    expect(() => trainingConfig(flags('--optimizer', 'rmsprop'))).toThrow(UsageError);
    expect(() => trainingConfig(flags('--schedule', 'linear'))).toThrow(
      /plateau, cosine, step, constant/,
    );
  });
});

describe('the CLI refuses a recipe that cannot work before any run exists', () => {
  const folder = sampleCatalogueFolder('fer-cli-recipe-');
  test.each([
    [['--crop', '56'], /random crop \(56 px\) is larger than the 48×48 images/],
    [['--epochs', '3', '--warmup', '3'], /warm-up \(3 epochs\) is not shorter than the run/],
    [['--schedule', 'constant', '--no-early-stop'], /never decays.*cosine or step/],
    [['--optimizer', 'sgd', '--momentum', '1'], /Momentum 1 is outside \[0, 1\)/],
  ])('%s', (args, message) => {
    const result = folder.cli('train', ...args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const runs = folder.cli('runs', '--json');
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
