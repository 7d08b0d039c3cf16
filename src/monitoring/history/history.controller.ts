import { BadRequestException, Controller, Get, Inject, NotFoundException, Query, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Clock } from '../core/clock';
import { MonitoringOptions } from '../core/monitoring-options';
import { RequiresApiKey } from '../api-key.guard';
import { ErrorResponseDto } from '../dto/error-response.dto';
import { NoParamsDto } from '../dto/monitoring-query.dto';
import { MONITORING_OPTIONS } from '../monitoring.constants';
import { EVENT_RANGE, HistoryRange, HistoryRangeInput, resolveHistoryRange } from './core/history-range';
import {
  AlertHistoryDto,
  CacheHistoryDto,
  CacheHistoryQueryDto,
  HealthHistoryDto,
  HistoryRangeQueryDto,
  HistoryStatusDto,
  ProviderHistoryDto,
  ProviderHistoryQueryDto,
} from './history.dto';
import { unknownProvider } from './history.messages';
import { HistoryService, HistoryUnavailableError } from './history.service';

const badRequest = ApiBadRequestResponse({
  type: ErrorResponseDto,
  description: 'A parameter broke its rule (unparsable time, from after to, a span too large for the resolution, unknown resolution); the message names it',
});
const unavailable = ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'History is turned off, or its database could not be opened or read' });

/** Reads of the stored history. Each maps the service's answer to HTTP and does no work of its own. */
@ApiTags('monitoring history')
@RequiresApiKey()
@Controller('api/monitoring')
export class HistoryController {
  private readonly clock: Clock;

  constructor(
    private readonly history: HistoryService,
    @Inject(MONITORING_OPTIONS) monitoring: MonitoringOptions,
  ) {
    this.clock = monitoring.clock;
  }

  @Get('history')
  @ApiOperation({
    summary: "A provider's calls, errors and latency percentiles over time",
    description:
      'One point per minute, hour or day bucket (UTC) in the range, empty buckets included. `from` and `to` take ISO 8601 or epoch ms; ' +
      'defaults: the last hour at minute resolution. Data written by the last flush only (HISTORY_FLUSH_SECONDS, 10 s by default).',
  })
  @ApiOkResponse({ type: ProviderHistoryDto })
  @badRequest
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'The provider was never seen, live or in history' })
  @unavailable
  async getProviderHistory(@Query() query: ProviderHistoryQueryDto): Promise<ProviderHistoryDto> {
    const range = this.range(query);
    const history = await this.answer(() => this.history.providerHistory(query.provider, range));
    if (history === undefined) throw new NotFoundException(unknownProvider(query.provider));
    return history;
  }

  @Get('history/cache')
  @ApiOperation({ summary: 'Cache hits, misses and hit rate over time, for one level or all levels summed' })
  @ApiOkResponse({ type: CacheHistoryDto })
  @badRequest
  @unavailable
  getCacheHistory(@Query() query: CacheHistoryQueryDto): Promise<CacheHistoryDto> {
    const range = this.range(query);
    return this.answer(() => this.history.cacheHistory(query.level ?? null, range));
  }

  @Get('history/health')
  @ApiOperation({ summary: 'Health status changes of providers and of the system, newest last' })
  @ApiOkResponse({ type: HealthHistoryDto })
  @badRequest
  @unavailable
  getHealthHistory(@Query() query: HistoryRangeQueryDto): Promise<HealthHistoryDto> {
    const range = this.range(query, EVENT_RANGE);
    return this.answer(() => this.history.healthHistory(range));
  }

  @Get('history/alerts')
  @ApiOperation({ summary: 'Stored alert records that were firing at some point of the range' })
  @ApiOkResponse({ type: AlertHistoryDto })
  @badRequest
  @unavailable
  getAlertHistory(@Query() query: HistoryRangeQueryDto): Promise<AlertHistoryDto> {
    const range = this.range(query, EVENT_RANGE);
    return this.answer(() => this.history.alertHistory(range));
  }

  @Get('history/status')
  @ApiOperation({ summary: 'Whether history is being written: path, last flush, write errors, pending data, rows per table' })
  @ApiOkResponse({ type: HistoryStatusDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'It takes no parameters' })
  getStatus(@Query() _query: NoParamsDto): Promise<HistoryStatusDto> {
    return this.history.status();
  }

  /** Status changes and alerts have no buckets: their range may be as long as a day-resolution one. */
  private range(query: HistoryRangeInput, events?: typeof EVENT_RANGE): HistoryRange {
    const result = resolveHistoryRange(query, this.clock.now(), events);
    if (!result.ok) throw new BadRequestException(result.problems);
    return result.range;
  }

  private async answer<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof HistoryUnavailableError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}
