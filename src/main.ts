import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { logLevelsFromEnv, portFromEnv } from './app.config';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';

async function bootstrap(): Promise<void> {
  // Start-up logs wait in a buffer until LOG_LEVEL (possibly from .env) is known.
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true }));
  const config = app.get(ConfigService);
  app.useLogger(logLevelsFromEnv(config.get<string>('LOG_LEVEL')));
  await app.listen(portFromEnv(config));
  const url = (await app.getUrl()).replace(/\[::1?\]|127\.0\.0\.1/, 'localhost');
  const logger = new Logger('FinanceHub');
  logger.log(`Listening on ${url}`);
  logger.log(`Health: ${url}/api/monitoring/health   Swagger UI: ${url}/api/docs`);
}

bootstrap().catch((error: unknown) => {
  new Logger('FinanceHub').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
