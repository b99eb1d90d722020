import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server's React Refresh preamble is an inline script, which the page's CSP forbids.
 * Allow inline scripts only while serving; the built site keeps `script-src 'self'`.
 */
const devCsp: Plugin = {
  name: 'fer-studio-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), devCsp],
  build: {
    outDir: '../out/web',
    emptyOutDir: true,
    // Served from disk or localhost, never over a slow network: one bundle is fine.
    chunkSizeWarningLimit: 1024,
  },
});
