import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';

/** Environment for a quiet, deterministic app: the simulator runs, the traffic generator does not. */
const QUIET_ENV: Record<string, string> = {
  TRAFFIC_GENERATOR: 'false',
  SIMULATOR_ENABLED: 'true',
  HEALTH_CHECK_INTERVAL_SECONDS: '3600',
  HISTORY_DB_PATH: ':memory:',
};

/** Boots the real AppModule as main.ts does, with env overrides; restores the environment afterwards. */
export async function createApp(env: Record<string, string> = {}): Promise<NestExpressApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, QUIET_ENV, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ logger: false }));
    await app.init();
    return app;
  } finally {
    process.env = saved;
  }
}
