import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { monitoringOptionsFromEnv } from '../../src/app.config';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Clock, MONITORING_OPTIONS, resolveMonitoringOptions } from '../../src/monitoring';

/** Environment for a quiet, deterministic app: the simulator runs, the traffic generator does not. */
const QUIET_ENV: Record<string, string> = {
  TRAFFIC_GENERATOR: 'false',
  SIMULATOR_ENABLED: 'true',
  HEALTH_CHECK_INTERVAL_SECONDS: '3600',
  HISTORY_DB_PATH: ':memory:',
};

/**
 * Boots the real AppModule as main.ts does, with env overrides; restores the environment
 * afterwards. A `clock` replaces the monitoring library's, so a test can move time.
 */
export async function createApp(env: Record<string, string> = {}, clock?: Clock): Promise<NestExpressApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, QUIET_ENV, env);
  try {
    const builder = Test.createTestingModule({ imports: [AppModule] });
    if (clock) {
      builder.overrideProvider(MONITORING_OPTIONS).useFactory({
        factory: (config: ConfigService) => resolveMonitoringOptions({ ...monitoringOptionsFromEnv(config), clock }),
        inject: [ConfigService],
      });
    }
    const moduleRef = await builder.compile();
    const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ logger: false }));
    await app.init();
    return app;
  } finally {
    process.env = saved;
  }
}
