import { call, dataDirOf, openProjectStudio, UsageError } from '../args.ts';
import { deleteProject } from '../../project/delete-project.ts';
import { projectInfo } from '../../project/registry.ts';
import { CATALOGUE_FILE } from '../../project/layout.ts';
import path from 'node:path';
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

/**
 * `project-delete <folder> --yes`: the folder and every file in it. Without --yes it only says
 * what would go. It opens no project, so it never deletes one it holds open itself.
 */
export async function projectDeleteCommand({
  values,
  rest: args,
  out,
}: CommandContext): Promise<number> {
  const [dir, ...more] = args;
  if (!dir || more.length > 0) throw new UsageError('project-delete needs one project folder.');
  const target = path.resolve(dir);
  if (!values.yes) {
    const info = projectInfo(path.join(target, CATALOGUE_FILE));
    throw new UsageError(
      `This deletes ${target} ("${info.name}": ${info.images ?? '?'} images, ${info.runs ?? '?'} runs) and every file in it, for good. Run it again with --yes to delete.`,
    );
  }
  const deleted = deleteProject(dataDirOf(values), target, null);
  out({ deleted: deleted.dir }, () => console.log(`Deleted ${deleted.dir} ("${deleted.name}").`));
  return 0;
}
