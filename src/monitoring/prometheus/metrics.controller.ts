import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { ApiKeyGuard } from '../api-key.guard';
import { ErrorResponseDto } from '../dto/error-response.dto';
import { PROMETHEUS_REGISTRY } from '../monitoring.constants';

@ApiTags('monitoring')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
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
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'MONITORING_API_KEY is set and the request did not carry it' })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
