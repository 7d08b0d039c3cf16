import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { HealthStatus } from './core/health-evaluator';
import { ProviderMetrics } from './core/provider-stats';
import { RequiresApiKey } from './api-key.guard';
import { CacheStatsDto } from './dto/cache-stats.dto';
import { ErrorResponseDto } from './dto/error-response.dto';
import { ProviderHealthDto, SystemHealthDto } from './dto/health.dto';
import { ErrorProneQueryDto, NoParamsDto, SlowestQueryDto, WindowQueryDto } from './dto/monitoring-query.dto';
import { ProviderMetricsDto } from './dto/provider-metrics.dto';
import { RecordCallDto, RecordCallsResultDto } from './dto/record-call.dto';
import { StatsDto } from './dto/stats.dto';
import type { Response } from 'express';
import { AlertService } from './alerts/alert.service';
import { AlertListingDto, AlertQueryDto } from './dto/alerts.dto';
import { SettingsChangeDto, SettingsDto } from './dto/settings.dto';
import { HealthScorer } from './health-scorer.service';
import { MonitoringSettings } from './monitoring-settings.service';
import { JsonResponseCache } from './json-response.cache';
import { MAX_CALLS_PER_BATCH, ParseCallsPipe } from './parse-calls.pipe';
import { PerformanceMonitor } from './performance-monitor.service';
import { ProviderNamePipe } from './provider-name.pipe';
import { ProviderRouter } from './routing/provider-router.service';

interface StatusResponse {
  status(code: number): unknown;
}

/** UNHEALTHY is the one status a load balancer or uptime probe must see as a failure. */
export function httpStatusFor(status: HealthStatus): number {
  switch (status) {
    case 'HEALTHY':
    case 'DEGRADED':
    case 'UNKNOWN':
      return HttpStatus.OK;
    case 'UNHEALTHY':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

const providerParam = ApiParam({ name: 'name', description: 'Provider name, URL-encoded (e.g. x%2Fy for "x/y"); 1 to 128 characters', example: 'finnhub' });
const notFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No call has been recorded for this provider' });
const badRequest = ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A parameter broke its rule; the message names it' });

@ApiTags('monitoring')
@RequiresApiKey()
@Controller('api/monitoring')
export class MonitoringController {
  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly scorer: HealthScorer,
    private readonly responses: JsonResponseCache,
    private readonly alerts: AlertService,
    private readonly settings: MonitoringSettings,
    private readonly router: ProviderRouter,
  ) {}

  @Get('providers')
  @ApiOperation({ summary: 'Every provider: all-time totals, sliding-window metrics and cache counts' })
  @ApiOkResponse({ type: [ProviderMetricsDto] })
  @badRequest
  getProviders(@Query() query: WindowQueryDto, @Res() res: Response): void {
    this.responses.send(res, `providers:${query.window}`, this.monitor.snapshotVersion(), () => ({
      status: HttpStatus.OK,
      body: this.monitor.getAllProviderMetrics(query.window),
    }));
  }

  @Get('providers/:name')
  @ApiOperation({ summary: 'One provider' })
  @providerParam
  @ApiOkResponse({ type: ProviderMetricsDto })
  @notFound
  @badRequest
  getProvider(@Param('name', ProviderNamePipe) name: string, @Query() query: WindowQueryDto): ProviderMetrics {
    return this.monitor.getProviderMetrics(name, query.window) ?? throwUnknownProvider(name);
  }

  @Get('health')
  @ApiOperation({ summary: 'System and provider health with issues and recommendations', description: 'HTTP 200 when HEALTHY, DEGRADED or UNKNOWN (no data yet); 503 when UNHEALTHY, with the same body.' })
  @ApiOkResponse({ type: SystemHealthDto })
  @ApiResponse({ status: HttpStatus.SERVICE_UNAVAILABLE, type: SystemHealthDto, description: 'The system is UNHEALTHY' })
  getHealth(@Res() res: Response): void {
    this.responses.send(
      res,
      'health',
      // Thresholds changed at runtime change the verdict without any new call.
      `${this.monitor.snapshotVersion()}:${this.settings.version}`,
      () => {
        const health = this.scorer.calculateHealthStatus();
        return { status: httpStatusFor(health.status), body: health };
      },
      { 'Cache-Control': 'no-store' },
    );
  }

  @Get('health/:name')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "One provider's health", description: 'HTTP 503 when the provider is UNHEALTHY, with the same body.' })
  @providerParam
  @ApiOkResponse({ type: ProviderHealthDto })
  @ApiResponse({ status: HttpStatus.SERVICE_UNAVAILABLE, type: ProviderHealthDto, description: 'The provider is UNHEALTHY' })
  @notFound
  @badRequest
  getProviderHealth(@Param('name', ProviderNamePipe) name: string, @Res({ passthrough: true }) res: StatusResponse): ProviderHealthDto {
    const health = this.scorer.getProviderHealth(name) ?? throwUnknownProvider(name);
    res.status(httpStatusFor(health.status));
    return health;
  }

  @Get('slowest')
  @ApiOperation({ summary: 'Providers with the highest window p95 latency, slowest first' })
  @ApiOkResponse({ type: [ProviderMetricsDto] })
  @badRequest
  getSlowest(@Query() query: SlowestQueryDto): readonly ProviderMetrics[] {
    return this.monitor.getSlowestProviders(query.limit, query.window);
  }

  @Get('error-prone')
  @ApiOperation({ summary: 'Providers whose window error rate is at or above the threshold, worst first' })
  @ApiOkResponse({ type: [ProviderMetricsDto] })
  @badRequest
  getErrorProne(@Query() query: ErrorProneQueryDto): readonly ProviderMetrics[] {
    return this.monitor.getErrorProneProviders(query.threshold, query.window);
  }

  @Get('cache')
  @ApiOperation({ summary: 'Cache hits, misses and hit rate overall, per level and per provider' })
  @ApiOkResponse({ type: CacheStatsDto })
  getCache(): CacheStatsDto {
    return this.monitor.getCacheStats();
  }

  @Get('stats')
  @ApiOperation({ summary: 'Totals, window rates and latency over all providers, cache, uptime, refused samples' })
  @ApiOkResponse({ type: StatsDto })
  @badRequest
  getStats(@Query() query: WindowQueryDto): StatsDto {
    return this.monitor.getStats(query.window);
  }

  @Post('calls')
  @ApiOperation({
    summary: 'Report provider calls from another service',
    description: `One call object, or an array of 1 to ${MAX_CALLS_PER_BATCH}. Every item is validated first: one bad item refuses the whole batch and nothing is stored.`,
  })
  @ApiExtraModels(RecordCallDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(RecordCallDto) },
        { type: 'array', minItems: 1, maxItems: MAX_CALLS_PER_BATCH, items: { $ref: getSchemaPath(RecordCallDto) } },
      ],
    },
    examples: {
      one: { value: { provider: 'finnhub', latencyMs: 84.2, success: true } },
      batch: {
        value: [
          { provider: 'finnhub', latencyMs: 84.2, success: true },
          { provider: 'alphavantage', latencyMs: 2000, success: false, timedOut: true, errorType: 'timeout' },
        ],
      },
    },
  })
  @ApiResponse({ status: HttpStatus.CREATED, type: RecordCallsResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An item broke a rule; messages name it, e.g. "[3].latencyMs must not be less than 0"' })
  @ApiResponse({ status: HttpStatus.UNPROCESSABLE_ENTITY, type: ErrorResponseDto, description: 'The batch names more new providers than the provider cap allows' })
  recordCalls(@Body(ParseCallsPipe) calls: RecordCallDto[]): RecordCallsResultDto {
    const outcome = this.monitor.recordCalls(calls);
    if (outcome === 'provider_limit') {
      const { maxProviders } = this.monitor.getStats();
      throw new UnprocessableEntityException(
        `provider limit of ${maxProviders} reached: the batch names providers that are not stored yet and do not fit; nothing was stored`,
      );
    }
    // The pipe applies the engine's rules, so a valid batch is never refused here.
    return { recorded: outcome === 'recorded' ? calls.length : 0 };
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Firing alerts, recent resolved ones, and webhook delivery counts', description: 'Filter with ?state=firing|resolved; ?limit=1-500 (default 50) per list.' })
  @ApiOkResponse({ type: AlertListingDto })
  @badRequest
  getAlerts(@Query() query: AlertQueryDto): AlertListingDto {
    return this.alerts.list(query.state, query.limit);
  }

  @Post('alerts/evaluate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Judge the alert rules now, as a health check tick does, and list the result' })
  @ApiOkResponse({ type: AlertListingDto })
  async evaluateAlerts(): Promise<AlertListingDto> {
    await this.alerts.evaluate();
    return this.alerts.list();
  }

  @Get('config/thresholds')
  @ApiOperation({ summary: 'Health thresholds and alert rules in force' })
  @ApiOkResponse({ type: SettingsDto })
  getSettings(): SettingsDto {
    return this.settings.snapshot();
  }

  @Put('config/thresholds')
  @ApiOperation({
    summary: 'Change health thresholds and alert rules without a restart',
    description:
      'Send any part of the thresholds; `rules`, when sent, replaces the whole list. The change is checked whole: a contradiction ' +
      '(a healthy limit above its unhealthy limit) or an out-of-range value gets 400 naming the field, and nothing changes. ' +
      'Metrics are kept; the next evaluation uses the new values.',
  })
  @ApiBody({ type: SettingsChangeDto, examples: { stricterLatency: { value: { thresholds: { healthy: { p95LatencyMs: 300 }, unhealthy: { p95LatencyMs: 1500 } } } } } })
  @ApiOkResponse({ type: SettingsDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'e.g. "thresholds.healthy.errorRate (0.5) must not be above thresholds.unhealthy.errorRate (0.25)"' })
  putSettings(@Body() change: SettingsChangeDto): SettingsDto {
    const problems = this.settings.update(change);
    if (problems.length > 0) throw new BadRequestException(problems);
    return this.settings.snapshot();
  }

  @Delete('metrics')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Forget every metric and counter (all providers, cache, refused samples, circuits, failover counts)',
    description: 'Month-to-date calls go too, so GET /costs starts again from zero.',
  })
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Reset done' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A query parameter or body was sent: a reset is always of everything, so a filter is refused rather than ignored' })
  // Validated only so that a filter (?provider=x) meant for one provider is refused instead of wiping all.
  resetMetrics(@Query() _query: NoParamsDto, @Body() _body: NoParamsDto): void {
    this.monitor.reset();
    this.router.reset();
  }
}

function throwUnknownProvider(name: string): never {
  throw new NotFoundException(`provider "${name}" not found: no call has been recorded for it`);
}
