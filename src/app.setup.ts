import { ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BodyShapePipe, validationException } from './monitoring';

/** Everything main.ts and the e2e tests both need, so tests run the app as users get it. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  // A batch of 1,000 calls is larger than Express's 100 kB default.
  // Not strict: a body of `null` or `42` is valid JSON, and BodyShapePipe answers it with a clear rule rather than a parse error.
  app.useBodyParser('json', { limit: '2mb', strict: false });
  app.useGlobalPipes(
    new BodyShapePipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // One message per field: the first rule it breaks, named by its full path.
      stopAtFirstError: true,
      exceptionFactory: validationException,
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FinanceHub Monitor')
      .setDescription(
        'Provider and cache monitoring for the FinanceHub market-data backend. When MONITORING_API_KEY is set, ' +
          'send it as the x-api-key header or as Authorization: Bearer <key>.',
      )
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  app.enableShutdownHooks();
  return app;
}
