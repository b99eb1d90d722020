// npm run bench:import -- <folder>: images/s for importing a folder into a fresh catalogue.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { importFolder } from '../app/importer/import-folder.ts';

const folder = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared/fer2013');
if (!fs.existsSync(folder)) {
  console.error(`No folder ${folder}. Usage: npm run bench:import -- <FER folder>`);
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-bench-import-'));
const catalogue = openCatalogue(path.join(dir, 'bench.sqlite'));
try {
  const report = await importFolder(catalogue, {
    folder,
    testFraction: 0.2,
    seed: 1,
    jobId: 'bench',
    onProgress: (p) => {
      if (p.phase === 'importing')
        process.stderr.write(`\r${p.done}/${p.total} ${p.imagesPerSec.toFixed(0)} img/s `);
    },
  });
  process.stderr.write('\n');
  const files =
    report.imported + report.duplicates + Object.values(report.skipped).reduce((a, b) => a + b, 0);
  console.log(`folder            ${folder}`);
  console.log(
    `machine           ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  console.log(
    `files             ${files} (imported ${report.imported}, duplicates ${report.duplicates}, skipped ${files - report.imported - report.duplicates})`,
  );
  console.log(`seconds           ${report.seconds.toFixed(2)}`);
  console.log(`images/s          ${(files / report.seconds).toFixed(0)}`);
  console.log(
    `catalogue size    ${(fs.statSync(path.join(dir, 'bench.sqlite')).size / 2 ** 20).toFixed(1)} MiB`,
  );
} finally {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
