import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, Length, Matches, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { HEALTH_STATUSES } from '../core/health-evaluator';
import { MAX_CACHE_LEVEL_LENGTH, MAX_PROVIDER_NAME_LENGTH, providerNameProblem } from '../core/sample-rules';
import { AlertRecordDto } from '../dto/alerts.dto';
import type { CacheHistoryPoint, ProviderHistoryPoint } from './core/history-buckets';
import { HISTORY_TIME_PATTERN } from './core/history-range';
import { HISTORY_RESOLUTIONS, HistoryResolution, HistoryRowCounts } from './history-store';
import { invalidTime, unknownResolution } from './history.messages';
import type { AlertHistory, CacheHistory, HealthHistory, HistoryState, HistoryStatus, ProviderHistory, StatusChangeView } from './history.service';

const TIME_FORMATS = 'ISO 8601 (a date alone is UTC midnight; a time without an offset is UTC) or epoch milliseconds';

/** A name that can never have been stored (blank, control characters) gets 400, not a 404 that echoes it. */
@ValidatorConstraint({ name: 'storableProviderName' })
class StorableProviderName implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && providerNameProblem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return providerNameProblem(String(args.value)) ?? 'provider is not a valid name';
  }
}

export class HistoryRangeQueryDto {
  @ApiPropertyOptional({ type: String, example: '2026-12-03T18:00:00Z', description: `Start of the range: ${TIME_FORMATS}. Default: one hour before \`to\`` })
  // With stopAtFirstError the bottom decorator is checked first: a repeated parameter fails as not a string.
  @Matches(HISTORY_TIME_PATTERN, { message: invalidTime('from') })
  @IsString({ message: invalidTime('from') })
  @IsOptional()
  from?: string;

  @ApiPropertyOptional({ type: String, example: '1796324400000', description: `End of the range: ${TIME_FORMATS}. Default: now` })
  @Matches(HISTORY_TIME_PATTERN, { message: invalidTime('to') })
  @IsString({ message: invalidTime('to') })
  @IsOptional()
  to?: string;
}

export class HistoryResolutionQueryDto extends HistoryRangeQueryDto {
  @ApiPropertyOptional({
    enum: HISTORY_RESOLUTIONS,
    default: 'minute',
    description: 'Bucket size. A range may span at most 48 h at minute, 31 days at hour and 366 days at day',
  })
  @IsIn(HISTORY_RESOLUTIONS, { message: (args: ValidationArguments) => unknownResolution(String(args.value)) })
  @IsOptional()
  resolution?: HistoryResolution;
}

export class ProviderHistoryQueryDto extends HistoryResolutionQueryDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_PROVIDER_NAME_LENGTH, example: 'finnhub', description: 'A provider seen live or in history' })
  // Checked bottom first: present, then once, then a name the monitor could have stored.
  @Validate(StorableProviderName)
  @Length(1, MAX_PROVIDER_NAME_LENGTH)
  @IsString({ message: 'provider must be a single name, given once' })
  @IsDefined({ message: 'provider is required' })
  provider!: string;
}

export class CacheHistoryQueryDto extends HistoryResolutionQueryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_CACHE_LEVEL_LENGTH, example: 'L1', description: 'One cache level; without it, every level summed' })
  @Length(1, MAX_CACHE_LEVEL_LENGTH)
  @IsString({ message: 'level must be a single name, given once' })
  @IsOptional()
  level?: string;
}

const LATENCY_NOTE = 'Null when the bucket has no calls';
const PERCENTILE_NOTE =
  'Nearest-rank percentile of the merged log histogram (within 1 % of the exact value), clamped into [min, max]. Null when the bucket has no calls';

export class ProviderHistoryPointDto implements ProviderHistoryPoint {
  @ApiProperty({ example: '2026-12-03T19:14:00.000Z', description: 'Start of the bucket (UTC)' })
  t!: string;
  @ApiProperty({ example: 61 })
  calls!: number;
  @ApiProperty({ example: 3, description: 'Timeouts included' })
  failures!: number;
  @ApiProperty({ example: 1 })
  timeouts!: number;
  @ApiProperty({ example: 0 })
  rateLimited!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.0492, description: 'failures / calls; null with no calls' })
  errorRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 44.2, description: 'Exact: latency sum / calls. ' + LATENCY_NOTE })
  avgLatencyMs!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 23.9,
    description: 'Lowest histogram bin reached (within 1 %; exact when a flush saw one call). ' + LATENCY_NOTE,
  })
  minLatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 114.5, description: 'Highest histogram bin reached (within 1 %). ' + LATENCY_NOTE })
  maxLatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 40.9, description: PERCENTILE_NOTE })
  p50LatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 59.7, description: PERCENTILE_NOTE })
  p95LatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 114.5, description: PERCENTILE_NOTE })
  p99LatencyMs!: number | null;
}

export class ProviderHistoryDto implements ProviderHistory {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;
  @ApiProperty({ enum: HISTORY_RESOLUTIONS, example: 'minute' })
  resolution!: HistoryResolution;
  @ApiProperty({ example: '2026-12-03T18:15:00.000Z' })
  from!: string;
  @ApiProperty({ example: '2026-12-03T19:15:00.000Z' })
  to!: string;
  @ApiProperty({
    type: [ProviderHistoryPointDto],
    description: 'One point per bucket overlapping the range, oldest first, empty buckets included. Written data only: the last flush interval is not in yet',
  })
  points!: ProviderHistoryPointDto[];
}

export class CacheHistoryPointDto implements CacheHistoryPoint {
  @ApiProperty({ example: '2026-12-03T19:14:00.000Z' })
  t!: string;
  @ApiProperty({ example: 45 })
  hits!: number;
  @ApiProperty({ example: 15 })
  misses!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.75, description: 'hits / (hits + misses); null with no lookups' })
  hitRate!: number | null;
}

export class CacheHistoryDto implements CacheHistory {
  @ApiProperty({ type: String, nullable: true, example: 'L1', description: 'Null: every level summed' })
  level!: string | null;
  @ApiProperty({ enum: HISTORY_RESOLUTIONS, example: 'hour' })
  resolution!: HistoryResolution;
  @ApiProperty({ example: '2026-12-02T19:00:00.000Z' })
  from!: string;
  @ApiProperty({ example: '2026-12-03T19:00:00.000Z' })
  to!: string;
  @ApiProperty({ type: [CacheHistoryPointDto] })
  points!: CacheHistoryPointDto[];
}

export class StatusChangeDto implements StatusChangeView {
  @ApiProperty({ example: '2026-12-03T19:15:09.182Z' })
  at!: string;
  @ApiProperty({ example: 'coingecko', description: 'A provider, or `system` for the system status' })
  subject!: string;
  @ApiProperty({ enum: HEALTH_STATUSES, example: 'DEGRADED' })
  previous!: string;
  @ApiProperty({ enum: HEALTH_STATUSES, example: 'UNHEALTHY' })
  current!: string;
}

export class HealthHistoryDto implements HealthHistory {
  @ApiProperty({ example: '2026-12-03T18:15:00.000Z' })
  from!: string;
  @ApiProperty({ example: '2026-12-03T19:15:00.000Z' })
  to!: string;
  @ApiProperty({ type: [StatusChangeDto], description: 'Oldest first (newest last); at most the newest 10,000 of the range' })
  changes!: StatusChangeDto[];
}

export class AlertHistoryDto implements AlertHistory {
  @ApiProperty({ example: '2026-12-03T18:15:00.000Z' })
  from!: string;
  @ApiProperty({ example: '2026-12-03T19:15:00.000Z' })
  to!: string;
  @ApiProperty({
    type: [AlertRecordDto],
    description: 'Alerts firing at some point of the range, in the state last stored (a resolved record replaces its firing one), oldest start first',
  })
  alerts!: AlertRecordDto[];
}

export class HistoryRowCountsDto implements HistoryRowCounts {
  @ApiProperty({ example: 180 })
  providerMinutes!: number;
  @ApiProperty({ example: 72 })
  providerHours!: number;
  @ApiProperty({ example: 6 })
  providerDays!: number;
  @ApiProperty({ example: 60 })
  cacheMinutes!: number;
  @ApiProperty({ example: 24 })
  cacheHours!: number;
  @ApiProperty({ example: 2 })
  cacheDays!: number;
  @ApiProperty({ example: 3 })
  providerTotals!: number;
  @ApiProperty({ example: 1 })
  cacheTotals!: number;
  @ApiProperty({ example: 12 })
  statusChanges!: number;
  @ApiProperty({ example: 4 })
  alerts!: number;
}

export class HistoryRetentionDto {
  @ApiProperty({ example: 48 })
  minuteHours!: number;
  @ApiProperty({ example: 30 })
  hourDays!: number;
  @ApiProperty({ example: 365 })
  dayDays!: number;
}

const HISTORY_STATES: HistoryState[] = ['ok', 'failing', 'unavailable', 'disabled'];

export class HistoryStatusDto implements HistoryStatus {
  @ApiProperty({ example: true })
  enabled!: boolean;
  @ApiProperty({
    enum: HISTORY_STATES,
    example: 'ok',
    description: 'ok; failing: the last write failed and data waits in memory; unavailable: the database could not be opened; disabled: HISTORY_ENABLED=false',
  })
  state!: HistoryState;
  @ApiProperty({ type: String, nullable: true, example: 'sqlite' })
  store!: string | null;
  @ApiProperty({ example: './data/monitoring.db' })
  path!: string;
  @ApiProperty({ example: 10 })
  flushIntervalSeconds!: number;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T19:15:10.004Z' })
  lastFlushAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T19:10:00.120Z' })
  lastCompactionAt!: string | null;
  @ApiProperty({ example: 0, description: 'Failed writes since start-up' })
  writeErrors!: number;
  @ApiProperty({ type: String, nullable: true, example: null })
  lastWriteError!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  lastWriteErrorAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the database could not be opened' })
  openError!: string | null;
  @ApiProperty({ example: 0, description: 'Minutes of data collected but not written yet' })
  pendingMinutes!: number;
  @ApiProperty({ example: 0, description: 'Status changes and alerts not written yet' })
  pendingEvents!: number;
  @ApiProperty({ example: 0, description: 'Minutes dropped because the database could not be written for too long' })
  droppedMinutes!: number;
  @ApiProperty({ example: 0 })
  droppedEvents!: number;
  @ApiProperty({ example: 0 })
  skippedTicks!: number;
  @ApiProperty({ type: HistoryRowCountsDto, nullable: true, description: 'Rows per table; null when the database is not open or cannot be read' })
  rows!: HistoryRowCountsDto | null;
  @ApiProperty({ type: HistoryRetentionDto })
  retention!: HistoryRetentionDto;
}
