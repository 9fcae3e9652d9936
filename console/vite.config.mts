import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// The console is served by the service at /console, from dist/web-console (npm run build:console).
// JSX is compiled by Vite's own transformer (tsconfig "jsx": "react-jsx"); no CDN, every asset bundled.
export default defineConfig({
  root: here,
  base: '/console/',
  build: {
    outDir: resolve(here, '..', 'dist', 'web-console'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // react-router marks its modules "use client" for React Server Components; a plain browser bundle does not need it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run console:dev`: the page on :5173, the API proxied to a service on :3000.
    // ws: the listen WebSocket (/calls/:id/listen) goes through the same proxy.
    proxy: { '^/(auth|calls|stats|agents|handoffs|tools|voices)': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
