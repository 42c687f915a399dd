import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Built into <repo>/dist/bigscreen, which the API serves at GET /: the wall at
// / (index.html) and the analyst pages at /analyst/ (analyst/index.html).
export default defineConfig({
  root: here('.'),
  base: '/',
  build: {
    outDir: here('../dist/bigscreen'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        wall: here('index.html'),
        analyst: here('analyst/index.html'),
      },
    },
    // Modular echarts (line + funnel + bar + SVG renderer) is ~520 kB minified,
    // half of the full build; it is loaded once per TV session.
    chunkSizeWarningLimit: 700,
  },
});
