import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from './support/create-app';

describe('Swagger document (e2e)', () => {
  let app: NestExpressApplication;
  let doc: {
    paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>>;
  };

  beforeAll(async () => {
    app = await createApp();
    doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => app.close());

  it('lists every endpoint', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/monitoring/providers',
        '/api/monitoring/providers/{name}',
        '/api/monitoring/health',
        '/api/monitoring/health/{name}',
        '/api/monitoring/slowest',
        '/api/monitoring/error-prone',
        '/api/monitoring/cache',
        '/api/monitoring/stats',
        '/api/monitoring/calls',
        '/api/monitoring/metrics',
        '/api/monitoring/alerts',
        '/api/monitoring/alerts/evaluate',
        '/api/monitoring/config/thresholds',
        '/api/monitoring/failover',
        '/api/monitoring/costs',
        '/api/monitoring/history',
        '/api/monitoring/history/cache',
        '/api/monitoring/history/health',
        '/api/monitoring/history/alerts',
        '/api/monitoring/history/status',
        '/metrics',
        '/api/quotes/{symbol}',
        '/api/crypto/{id}',
        '/api/simulator/providers',
        '/api/simulator/providers/{name}',
      ].sort(),
    );
  });

  it('shows limit as an integer from 1 to 100 with default 5 (C10)', () => {
    const limit = doc.paths['/api/monitoring/slowest'].get.parameters!.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 5 });
  });

  it('documents a response schema and the error responses of each monitoring endpoint', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/monitoring') && path !== '/metrics') continue;
      for (const operation of Object.values(methods)) {
        expect({ path, has401: '401' in operation.responses }).toEqual({ path, has401: true });
        const success = Object.keys(operation.responses).filter((code) => code.startsWith('2'));
        expect({ path, success: success.length > 0 }).toEqual({ path, success: true });
      }
    }
    expect(doc.paths['/api/monitoring/health'].get.responses).toHaveProperty('503');
    expect(doc.paths['/api/monitoring/providers/{name}'].get.responses).toHaveProperty('404');
  });

  it('serves the Swagger UI offline', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
