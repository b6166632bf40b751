import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { rendererCsp } from './main/core/security/content-security-policy';
import { channelNamesDefine } from './main/preload/channel-names';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The Electron entry and the `inlet` CLI (headless shell, emulator) share the core; the
        // receiver's and the processing thread's programs are entries of their own
        // (worker-thread.ts finds them).
        input: {
          index: resolve('main/index.ts'),
          cli: resolve('main/cli/index.ts'),
          'receiver-worker': resolve('main/core/webhook/receiver-worker.ts'),
          'processing-worker': resolve('main/core/inbox/processing-worker.ts'),
        },
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
        // Built pages get the policy as a header from the shell serving them; Vite's dev server
        // sends none, so its page carries the same policy in a meta tag, relaxed for the inline
        // <style> and React refresh preamble the dev server injects.
        name: 'inlet-dev-csp',
        apply: 'serve',
        transformIndexHtml: () => [
          {
            tag: 'meta',
            attrs: {
              'http-equiv': 'Content-Security-Policy',
              content: rendererCsp({ sandboxOrigin: null, isDevServer: true }),
            },
            injectTo: 'head-prepend',
          },
        ],
      },
    ],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
