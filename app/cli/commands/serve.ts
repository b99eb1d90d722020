import path from 'node:path';
import { startServer } from '../../server/server.ts';
import { createToken } from '../../server/security.ts';
import { call, numberOption, openProjectStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';
import { shutdownWithin } from '../shutdown.ts';

/** Whatever ran (workers, sockets, a training run), serve is gone this long after the signal. */
const SHUTDOWN_DEADLINE_MS = 3000;

/** `serve`: the browser-mode server over the built renderer, until Ctrl+C or SIGTERM. */
export async function serveCommand({ values }: CommandContext): Promise<number> {
  const studio = openProjectStudio(values, true);
  const staticDir = path.resolve(import.meta.dirname, '../../../out/web');
  const server = await startServer({
    studio,
    token: createToken(),
    staticDir,
    port: numberOption(values, 'port') ?? 0,
    host: values.host ?? '127.0.0.1',
  });
  console.log(`FER Studio is running at ${server.url}`);
  console.error(`catalogue: ${(await call(studio, 'app-info', {})).catalogPath} — Ctrl+C stops.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shutdownWithin(
    async () => {
      await server.close();
      await studio.close();
    },
    SHUTDOWN_DEADLINE_MS,
    (code) => process.exit(code),
  );
  return 0;
}
