import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into <repo>/dist/bigscreen, which the API serves at GET /.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/bigscreen', import.meta.url)),
    emptyOutDir: true,
    // Modular echarts (line + funnel + bar + SVG renderer) is ~520 kB minified,
    // half of the full build; it is loaded once per TV session.
    chunkSizeWarningLimit: 700,
  },
});
