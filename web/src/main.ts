import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Styles of the Element Plus services called from scripts (components get theirs on import).
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/loading/style/css'
import './styles/main.css'
import App from './App.vue'
import { i18n, setLocale, storedLocale } from './locales'
import { router } from './router'
import { httpHooks } from './api/http'
import { useAuthStore } from './stores/auth'
import { useLookupsStore } from './stores/lookups'

async function start(): Promise<void> {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia).use(i18n)

  const auth = useAuthStore(pinia)
  httpHooks.onUnauthenticated = () => {
    const wasSignedIn = auth.signedIn
    auth.clear()
    useLookupsStore(pinia).reset()
    const current = router.currentRoute.value
    if (current.name !== 'login' && (wasSignedIn || !current.meta.public)) {
      void router.replace({ name: 'login', query: { redirect: current.fullPath } })
    }
  }
  httpHooks.onPasswordChangeRequired = () => {
    if (auth.me) auth.me = { ...auth.me, must_change_password: true }
    if (router.currentRoute.value.name !== 'change-password') void router.replace({ name: 'change-password' })
  }

  // Before sign-in the language chosen on this browser; after, the user's own (stores/auth.ts).
  await setLocale(storedLocale())
  app.use(router)
  await router.isReady()
  app.mount('#app')
}

void start()
