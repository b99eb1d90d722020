import { call, openProjectStudio, UsageError } from '../args.ts';
import type { CommandContext } from '../args.ts';
import type { ProjectInfo } from '../../project/registry.ts';

const describe = (p: ProjectInfo) =>
  `${p.name}  ${p.images ?? '?'} images, ${p.runs ?? '?'} runs  ${p.dir}${p.problem ? `  (${p.problem})` : ''}`;

/** `projects`: the projects under the data directory and the recently opened ones. */
export async function projectsCommand({ values, out }: CommandContext): Promise<number> {
  const studio = openProjectStudio(values, false);
  try {
    const list = await call(studio, 'project-list', {});
    out(list, () => {
      console.log(`open: ${describe(list.current)}`);
      for (const project of list.projects) console.log(describe(project));
    });
    return 0;
  } finally {
    await studio.close();
  }
}

/** `project-rename --project DIR --name NAME`: the name shown in the app; the folder stays. */
export async function projectRenameCommand({ values, out }: CommandContext): Promise<number> {
  if (!values.project || !values.name)
    throw new UsageError('project-rename needs --project <folder> and --name <name>.');
  const studio = openProjectStudio(values, false);
  try {
    const project = await call(studio, 'project-rename', {
      dir: values.project,
      name: values.name,
    });
    out(project, () => console.log(`Renamed ${project.dir} to "${project.name}".`));
    return 0;
  } finally {
    await studio.close();
  }
}
