// Element Plus: its components are imported by each component that uses them (the
// unplugin-vue-components resolver in vite.config.ts), so a view's components load with the view
// and the 工作台 does not wait for the whole library. Installed here for the whole app: the
// services called from code (messages, message boxes, notifications, v-loading) and the global
// config, which gives the message boxes (rendered outside the app's <el-config-provider>) their
// locale.
import type { App } from 'vue'
import {
  ElLoading,
  ElMessage,
  ElMessageBox,
  ElNotification,
  provideGlobalConfig,
  type ConfigProviderContext,
} from 'element-plus'

export const elementPlus = {
  install(app: App, config?: ConfigProviderContext) {
    app.use(ElLoading).use(ElMessage).use(ElMessageBox).use(ElNotification)
    if (config) provideGlobalConfig(config, app, true)
  },
}
