/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The app is served by Tauri from a custom protocol, so assets use relative paths and the
// router uses hash history. Nothing is loaded from the network at run time.
export default defineConfig({
  base: './',
  plugins: [
    vue(),
    // Each component imports the Element Plus components its template uses, so a view's
    // components load with the view: the 工作台 no longer waits for the whole library (931 KB)
    // to be parsed and run. Styles stay global (element-plus/dist/index.css in main.ts).
    Components({
      resolvers: [ElementPlusResolver({ importStyle: false })],
      dirs: [],
      dts: false,
    }),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  define: {
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  // The resolver adds its imports after Vite's first scan of dependencies; listed here, the dev
  // server does not reload the page on the first view that uses Element Plus.
  optimizeDeps: {
    include: ['element-plus/es'],
  },
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: {
      ignored: ['**/src-tauri/**', '**/target/**'],
    },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks: {
          vue: ['vue', 'vue-router', 'vue-i18n', 'pinia'],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    css: false,
    // Whole views mounted in jsdom take seconds on a busy 2-core machine; 5 s (the default)
    // failed there while the same test took 1.5 s on a quiet one. No test asserts a duration.
    testTimeout: 30000,
    server: {
      deps: {
        inline: ['element-plus'],
      },
    },
  },
})
