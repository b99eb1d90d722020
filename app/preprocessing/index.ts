export {
  FER2013_CSV_ORDER,
  IDENTITY_PREPROCESSING,
  INPUT_RANGES,
  isIdentity,
  needsConversion,
  outputIndexOfClass,
  parsePreprocessing,
  preprocessingSchema,
  type InputRange,
  type Preprocessing,
} from './record.ts';
export { inputSize, toModelInput } from './to-input.ts';
export { toStudioProbabilities } from './outputs.ts';
