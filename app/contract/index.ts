export * from './classes.ts';
export * from './errors.ts';
export * from './handlers.ts';
export * from './schemas.ts';
export type { StudioClient } from './client.ts';
export * from './transport.ts';
export * from './training.ts';
export * from './evaluation.ts';
export * from './export.ts';
