import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { RequiresApiKey } from '../api-key.guard';
import { PROMETHEUS_REGISTRY } from '../monitoring.constants';

@ApiTags('monitoring')
@RequiresApiKey()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus text exposition',
    description:
      'Per-provider call, failure, timeout and rate-limit counters, an all-time latency histogram (seconds), health-window ' +
      'quantiles, status and score, cache hits and misses per level, refused samples, and Node process metrics.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    schema: { type: 'string', example: 'monitoring_provider_calls_total{provider="finnhub"} 1520\n' },
    description: 'Prometheus text format 0.0.4',
  })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
