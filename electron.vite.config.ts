import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, posix, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;
// Overridable so the bundle test can build into its own directory without touching out/.
const outDir = resolve(root, process.env['FER_ELECTRON_OUT_DIR'] ?? 'out');

/** Native or optional-native packages: loaded from node_modules at runtime (and unpacked from the asar). */
const nativeModules = [
  'better-sqlite3',
  'sharp',
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
];

const IMPORT_META_URL = /\bnew\s+URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * app/ runs unbundled under Node, so it locates worker scripts and files with `new URL('./x', import.meta.url)`.
 * In the bundled main process those paths would point into out/: emit `.ts` targets as their own entry chunks
 * (worker threads) and other files as assets, and rewrite each URL relative to the chunk that holds it.
 */
function bundleImportMetaUrls(): Plugin {
  const placeholder = /__FER_FILE_URL_(\d+)__/g;
  const refs: string[] = [];
  return {
    name: 'fer-studio:bundle-import-meta-urls',
    transform(code, id) {
      if (id.includes('/node_modules/') || !code.includes('import.meta.url')) return null;
      let changed = false;
      const rewritten = code.replace(
        IMPORT_META_URL,
        (whole, _quote: string, relativePath: string) => {
          const target = resolve(dirname(id), relativePath);
          if (!existsSync(target) || !statSync(target).isFile()) return whole;
          const ref =
            extname(target) === '.ts'
              ? this.emitFile({ type: 'chunk', id: target, name: basename(target, '.ts') })
              : this.emitFile({
                  type: 'asset',
                  name: basename(target),
                  source: readFileSync(target),
                });
          changed = true;
          refs.push(ref);
          return `new URL('__FER_FILE_URL_${refs.length - 1}__', import.meta.url)`;
        },
      );
      return changed ? { code: rewritten, map: null } : null;
    },
    renderChunk(code, chunk) {
      if (!code.includes('__FER_FILE_URL_')) return null;
      return code.replace(placeholder, (_whole, index: string) => {
        const fileName = this.getFileName(refs[Number(index)] ?? '');
        const path = posix.relative(posix.dirname(chunk.fileName), fileName);
        return path.startsWith('.') ? path : `./${path}`;
      });
    },
  };
}

/** As in renderer/vite.config.ts: the dev server's React Refresh preamble is inline, which the page's meta CSP forbids. */
const devServerCsp: Plugin = {
  name: 'fer-studio:dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  main: {
    plugins: [bundleImportMetaUrls()],
    build: {
      outDir: resolve(outDir, 'main'),
      lib: { entry: resolve(root, 'main/index.ts') },
      // package.json dependencies are external by default; the optional natives are not listed there.
      externalizeDeps: { include: nativeModules },
    },
  },
  preload: {
    build: {
      outDir: resolve(outDir, 'preload'),
      // A sandboxed preload cannot require node_modules or load ESM: bundle everything into one CommonJS file.
      externalizeDeps: false,
      lib: { entry: { index: resolve(root, 'main/preload.ts') }, formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), devServerCsp],
    build: {
      outDir: resolve(outDir, 'renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
