import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// SHOAL_BACKEND points the dev server at another backend (e.g. a throw-away instance).
const backend = process.env.SHOAL_BACKEND || 'http://127.0.0.1:8000'

// Built: Django serves dist/index.html for every non-API path and the assets under /static/.
// Dev server: the app is served from / and /static/ (admin, API docs assets) goes to Django.
export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/static/' : '/',
  plugins: [
    vue(),
    // Element Plus components and their styles are imported where they are used,
    // so the first chunk carries only what the sign-in page and the layout need.
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'components.d.ts',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  optimizeDeps: {
    // Pre-bundled at dev-server start (the component styles are discovered on first use).
    include: [
      'vue',
      'vue-router',
      'pinia',
      'vue-i18n',
      'openapi-fetch',
      'element-plus/es',
      '@element-plus/icons-vue',
    ],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/admin': { target: backend, changeOrigin: false },
      '/static': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
}))
