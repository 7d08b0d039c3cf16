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
  // abortOnError off: a bad setting reaches the catch below and is printed as one clear line.
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, abortOnError: false }));
  const config = app.get(ConfigService);
  app.useLogger(logLevelsFromEnv(config.get<string>('LOG_LEVEL')));
  await app.listen(portFromEnv(config));
  const url = (await app.getUrl()).replace(/\[::1?\]|127\.0\.0\.1/, 'localhost');
  const logger = new Logger('FinanceHub');
  logger.log(`Listening on ${url}`);
  logger.log(`Health: ${url}/api/monitoring/health   Swagger UI: ${url}/api/docs`);
}

bootstrap().catch((error: unknown) => {
  // Straight to stderr: the Nest logger may still be buffering when start-up fails.
  console.error(`FinanceHub could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
