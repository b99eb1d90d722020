import path from 'node:path';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import {
  NO_AUGMENTATION,
  parseTrainConfig,
  type TrainConfigInput,
} from '../../../app/training/config.ts';
import { plainRecipe } from '../training/helpers.ts';

/**
 * Records a run as training-start does — label snapshot and config, no validation split — without
 * training it: cross-validation needs only those, and the tests' time goes to the folds instead.
 */
export function recordUntrainedRun(catalogPath: string, dir: string, config: TrainConfigInput) {
  const catalogue = openCatalogue(catalogPath);
  try {
    const runs = createRunStore(catalogue.db);
    return runs.createRun({
      model: 'compact-cnn',
      // compact-cnn on the pre-issue-10 recipe, un-augmented: what the folds' figures were measured with.
      config: parseTrainConfig(
        plainRecipe({
          model: 'compact-cnn',
          validationFraction: 0,
          ...config,
          augmentation: { ...NO_AUGMENTATION, ...config.augmentation },
        }),
      ),
      runDir: (id) => path.join(dir, `run-${id}`),
      parentRunId: null,
      data: runs.currentTrainingData(),
      validation: new Set(),
    });
  } finally {
    catalogue.close();
  }
}
