import { StudioError } from '../contract/errors.ts';
import type { Handlers } from '../contract/handlers.ts';
import { projectInfo } from './registry.ts';

type ProjectHandlers = Pick<
  Handlers,
  'project-list' | 'project-open' | 'project-create' | 'project-rename' | 'project-delete'
>;

/**
 * A studio opened on one catalogue (tests, one-shot CLI commands) lists just that catalogue;
 * switching needs the project studio (app/project/project-studio.ts), which overrides these.
 */
export function createSingleProjectHandlers(catalogPath: string): ProjectHandlers {
  const unsupported = async (): Promise<never> => {
    throw new StudioError(
      'unsupported',
      'This studio was opened on one catalogue; start the app or `fer-studio serve` to switch projects.',
    );
  };
  return {
    'project-list': async () => {
      const current = projectInfo(catalogPath);
      return { current, projects: [current] };
    },
    'project-open': unsupported,
    'project-create': unsupported,
    'project-rename': unsupported,
    'project-delete': unsupported,
  };
}
