// Vite config for the renderer: React, no Node polyfills, output into out/renderer.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
  },
  server: { host: '127.0.0.1', strictPort: true },
});
