import { createApp } from 'vue'
import { createPinia } from 'pinia'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { i18n, currentLocale } from './i18n'
import { makeRouter } from './router'
import { markStartup } from './utils/startup'
import { elementPlus } from './plugins/element'

markStartup('script')

document.documentElement.lang = currentLocale()

createApp(App)
  .use(createPinia())
  .use(i18n)
  .use(makeRouter())
  .use(elementPlus, { locale: zhCn })
  .mount('#app')
markStartup('mounted')
