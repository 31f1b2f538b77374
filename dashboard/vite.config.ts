import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vitest/config';

// Where the Maven build packs the dashboard: the jar's tinyscale-dashboard/ folder, which the
// app's dashboard/DashboardRoute serves at /dashboard.
const outDir = 'target/classes/tinyscale-dashboard';

/** Writes files.txt, every file of the build: the app loads exactly these at start. */
function fileList(): Plugin {
  return {
    name: 'tinyscale-file-list',
    apply: 'build',
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (name !== 'files.txt') files.push(relative(outDir, path).split('\\').join('/'));
        }
      };
      walk(outDir);
      writeFileSync(join(outDir, 'files.txt'), files.sort().join('\n') + '\n');
    },
  };
}

export default defineConfig({
  base: '/dashboard/',
  plugins: [react(), fileList()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    // every browser that runs the dashboard knows modulepreload
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
  },
  server: {
    // npm run dev: the API of a ./tinyscale up on this machine
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // a loaded machine (the whole suite beside Java builds) takes seconds for what takes milliseconds
    testTimeout: 20_000,
  },
});
