import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { channelNamesDefine } from './main/preload/channel-names';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The Electron entry and the `inlet` CLI (headless shell, emulator) share the core.
        input: { index: resolve('main/index.ts'), cli: resolve('main/cli/index.ts') },
      },
    },
  },
  preload: {
    define: channelNamesDefine,
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require local files: one self-contained CommonJS file.
      rollupOptions: {
        input: { index: resolve('main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [
      react(),
      {
        // Vite's dev server injects inline <style> and the React refresh preamble; production builds
        // (the only thing users run) keep the strict policy from renderer/index.html.
        name: 'inlet-dev-csp',
        apply: 'serve',
        transformIndexHtml: (html) =>
          html
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
      },
    ],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
