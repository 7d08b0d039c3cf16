import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { BILLING_PERIODS, BillingPeriod } from '../core/cost/billing-period';
import { CostReport, CurrencyTotals, ProviderCost, QuotaBlock, QuotaState, QuotaUse } from '../core/cost/cost-calculator';
import { CIRCUIT_STATES, CircuitState } from '../core/routing/circuit-breaker';
import { FailoverCount } from '../core/routing/failover-log';
import { ROUTING_STRATEGIES, RoutePlan, RoutingStrategy, SkipReason } from '../core/routing/route-planner';
import { WINDOW_NAMES, WindowName } from '../core/sliding-windows';
import { CapabilityView, CircuitReport, FailoverView } from '../routing/provider-router.service';

const SKIP_REASONS: SkipReason[] = ['circuit_open', 'probes_busy', 'rate_limit_per_minute', 'rate_limit_per_day', 'free_quota_spent'];
const QUOTA_BLOCKS: QuotaBlock[] = ['rate_limit_per_minute', 'rate_limit_per_day', 'free_quota_spent'];

export class FailoverQueryDto {
  @ApiPropertyOptional({ enum: WINDOW_NAMES, default: '5m', description: 'Window the failover counts cover' })
  @IsIn(WINDOW_NAMES)
  window: WindowName = '5m';
}

export class CostQueryDto {
  @ApiPropertyOptional({ enum: BILLING_PERIODS, default: 'day', description: 'The current UTC day or month' })
  @IsIn(BILLING_PERIODS)
  period: BillingPeriod = 'day';
}

class SkippedDto {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;
  @ApiProperty({ enum: SKIP_REASONS, example: 'circuit_open' })
  reason!: SkipReason;
}

export class RoutePlanDto implements RoutePlan {
  @ApiProperty({ enum: ROUTING_STRATEGIES, example: 'priority' })
  strategy!: RoutingStrategy;
  @ApiProperty({ type: [String], example: ['finnhub', 'alphavantage'], description: 'Every candidate in the strategy’s order' })
  ranked!: string[];
  @ApiProperty({ type: [String], example: ['alphavantage'], description: 'What a request would try now, in order' })
  attempts!: string[];
  @ApiProperty({ type: [SkippedDto] })
  skipped!: SkippedDto[];
  @ApiProperty({ example: false, description: 'No candidate can be called normally: the least bad one is tried anyway' })
  degraded!: boolean;
}

class RequestCountsDto {
  @ApiProperty({ example: 812, description: 'Answered by some provider (since start or reset)' })
  served!: number;
  @ApiProperty({ example: 3, description: 'Answered on a degraded path: every candidate was bad' })
  degraded!: number;
  @ApiProperty({ example: 1, description: 'Every provider tried failed (the app may still have answered, e.g. from a stale cache entry)' })
  failed!: number;
  @ApiProperty({ example: 4, description: 'Every provider answered that it has no such data (a typo in a request, not a failure)' })
  noData!: number;
}

export class CapabilityViewDto implements CapabilityView {
  @ApiProperty({ example: 'stock-quote' })
  capability!: string;
  @ApiProperty({ enum: ROUTING_STRATEGIES, example: 'priority' })
  strategy!: RoutingStrategy;
  @ApiProperty({ type: [String], example: ['finnhub', 'alphavantage'], description: 'Candidates in configured (priority) order' })
  providers!: string[];
  @ApiProperty({ type: RoutePlanDto })
  plan!: RoutePlanDto;
  @ApiProperty({ type: RequestCountsDto })
  requests!: RequestCountsDto;
}

export class CircuitViewDto implements CircuitReport {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;
  @ApiProperty({ enum: CIRCUIT_STATES, example: 'OPEN' })
  state!: CircuitState;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-04T06:54:22.909Z', description: 'When it entered this state; null if it never left CLOSED' })
  since!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-04T06:54:52.909Z', description: 'While OPEN: when probes go through' })
  halfOpenAt!: string | null;
  @ApiProperty({ example: 5, description: 'Failures in a row of calls routed to it, in any state; a success resets it' })
  consecutiveFailures!: number;
  @ApiProperty({ example: 0 })
  probesInFlight!: number;
  @ApiProperty({ example: 0 })
  probeSuccesses!: number;
  @ApiProperty({ type: String, nullable: true, example: '5 calls in a row failed (last: http_error)' })
  lastOpenReason!: string | null;
  @ApiProperty({ example: 1, description: 'Times it opened' })
  opened!: number;
}

export class FailoverCountDto implements FailoverCount {
  @ApiProperty({ example: 'stock-quote' })
  capability!: string;
  @ApiProperty({ example: 'finnhub' })
  from!: string;
  @ApiProperty({ example: 'alphavantage' })
  to!: string;
  @ApiProperty({ example: 5, description: '`from` was tried and failed' })
  afterFailure!: number;
  @ApiProperty({ example: 40, description: '`from` was not tried: circuit open, probes busy or quota spent' })
  afterSkip!: number;
  @ApiProperty({ example: 45 })
  total!: number;
}

export class FailoverViewDto implements FailoverView {
  @ApiProperty({ type: Number, example: 300000, description: 'Window of the failover counts' })
  windowMs!: number;
  @ApiProperty({ type: [CapabilityViewDto] })
  capabilities!: CapabilityViewDto[];
  @ApiProperty({ type: [CircuitViewDto] })
  circuits!: CircuitViewDto[];
  @ApiProperty({ type: [FailoverCountDto], description: 'Provider pairs with moves in the window, most first' })
  failovers!: FailoverCountDto[];
}

class QuotaUseDto implements QuotaUse {
  @ApiProperty({ example: 500 })
  limit!: number;
  @ApiProperty({ example: 120 })
  used!: number;
  @ApiProperty({ example: 380 })
  remaining!: number;
}

class FreeCallsDto extends QuotaUseDto {
  @ApiProperty({ enum: ['day', 'month'], example: 'day', description: 'The allowance resets every UTC day, or every UTC month' })
  per!: 'day' | 'month';
}

class QuotaStateDto implements QuotaState {
  @ApiProperty({ type: FreeCallsDto, nullable: true })
  freeCalls!: FreeCallsDto | null;
  @ApiProperty({ type: QuotaUseDto, nullable: true, description: 'Calls in the last minute (1m window) against the limit' })
  perMinute!: QuotaUseDto | null;
  @ApiProperty({ type: QuotaUseDto, nullable: true, description: 'Calls today (UTC) against the limit' })
  perDay!: QuotaUseDto | null;
}

export class ProviderCostDto implements ProviderCost {
  @ApiProperty({ example: 'alphavantage' })
  provider!: string;
  @ApiProperty({ example: true, description: 'False: no price list, so its calls are counted but cost nothing here' })
  priced!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'USD' })
  currency!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.002' })
  pricePerCall!: string | null;
  @ApiProperty({ example: 620 })
  calls!: number;
  @ApiProperty({ example: 120, description: 'Calls past the free allowance' })
  billableCalls!: number;
  @ApiProperty({ example: '0.24', description: 'Exact decimal: summed as integer micro-units' })
  cost!: string;
  @ApiProperty({ example: 240000, description: 'The cost in millionths of the currency unit' })
  costMicros!: number;
  @ApiProperty({ example: 2900, description: 'Calls so far plus the last hour’s calls, as an hourly rate, until the end of the period' })
  projectedCalls!: number;
  @ApiProperty({ example: '4.80' })
  projectedCost!: string;
  @ApiProperty({ example: 4800000 })
  projectedCostMicros!: number;
  @ApiProperty({ example: 1400, description: 'Cache hits on its data: calls not made' })
  callsSaved!: number;
  @ApiProperty({ example: '2.80', description: 'What those calls would have cost, free allowance taken into account' })
  savedByCache!: string;
  @ApiProperty({ example: 2800000 })
  savedByCacheMicros!: number;
  @ApiProperty({ type: QuotaStateDto })
  quota!: QuotaStateDto;
  @ApiProperty({ enum: QUOTA_BLOCKS, nullable: true, example: null, description: 'Why the router leaves it out now, or null' })
  blockedBy!: QuotaBlock | null;
}

class CurrencyTotalsDto implements CurrencyTotals {
  @ApiProperty({ example: 'USD' })
  currency!: string;
  @ApiProperty({ example: 1800 })
  calls!: number;
  @ApiProperty({ example: 900 })
  billableCalls!: number;
  @ApiProperty({ example: '0.71' })
  cost!: string;
  @ApiProperty({ example: '12.60' })
  projectedCost!: string;
  @ApiProperty({ example: '3.35' })
  savedByCache!: string;
}

export class CostReportDto implements CostReport {
  @ApiProperty({ enum: BILLING_PERIODS, example: 'day' })
  period!: BillingPeriod;
  @ApiProperty({ enum: ['UTC'], example: 'UTC', description: 'Periods are UTC calendar days and months' })
  timeZone!: 'UTC';
  @ApiProperty({ example: '2026-12-04T00:00:00.000Z' })
  from!: string;
  @ApiProperty({ example: '2026-12-05T00:00:00.000Z', description: 'End of the period (exclusive)' })
  to!: string;
  @ApiProperty({ type: [ProviderCostDto], description: 'Priced providers first, costliest first' })
  providers!: ProviderCostDto[];
  @ApiProperty({ type: [CurrencyTotalsDto], description: 'One entry per currency' })
  totals!: CurrencyTotalsDto[];
}
