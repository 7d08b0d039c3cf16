import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MonitoringModuleOptions } from './core/monitoring-options';

export const {
  ConfigurableModuleClass: ConfigurableMonitoringModule,
  MODULE_OPTIONS_TOKEN: MONITORING_MODULE_OPTIONS,
  OPTIONS_TYPE: MONITORING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MONITORING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MonitoringModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
