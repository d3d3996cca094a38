import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One renderer for Electron (loaded from disk) and browser mode (served by `marquee serve`):
// relative asset paths work in both, and the strict CSP forbids inline scripts, which Vite does not emit.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
