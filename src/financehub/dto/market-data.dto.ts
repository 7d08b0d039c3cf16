import {
  ApiProperty,
  ApiPropertyOptional,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import {
  ATTEMPT_ERROR_TYPES,
  type AttemptErrorType,
  type CryptoPriceResult,
  type DataSource,
  type ProviderAttempt,
  type QuoteResult,
} from '../market-data.types';
import type { CryptoPrice, Quote } from '../providers/market-data-provider';

// Response documentation only: the classes implement the orchestrator's result types so
// the OpenAPI schema cannot drift from what is actually returned.

export class QuoteDto implements Quote {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ example: 189.98, description: 'Last price' })
  price!: number;

  @ApiProperty({ example: 0.48, description: 'Change since previous close' })
  change!: number;

  @ApiProperty({ example: 0.2533, description: 'Change since previous close, in %' })
  changePercent!: number;

  @ApiPropertyOptional({ example: 190.32 })
  high?: number;

  @ApiPropertyOptional({ example: 188.61 })
  low?: number;

  @ApiPropertyOptional({ example: 189.1 })
  open?: number;

  @ApiPropertyOptional({ example: 189.5 })
  previousClose?: number;

  @ApiProperty({ example: '2025-01-15T14:30:05.000Z', format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ example: 'finnhub' })
  provider!: string;
}

export class CryptoPriceDto implements CryptoPrice {
  @ApiProperty({ example: 'bitcoin' })
  id!: string;

  @ApiProperty({ example: 'usd' })
  currency!: string;

  @ApiProperty({ example: 67187.33 })
  price!: number;

  @ApiProperty({ example: 'coingecko' })
  provider!: string;

  @ApiProperty({ example: '2025-01-15T14:30:05.000Z', format: 'date-time' })
  timestamp!: string;
}

export class ProviderAttemptDto implements ProviderAttempt {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;

  @ApiProperty({ example: false })
  ok!: boolean;

  @ApiPropertyOptional({
    enum: ATTEMPT_ERROR_TYPES,
    example: 'rate_limited',
    description: 'Why the attempt failed (absent when ok)',
  })
  errorType?: AttemptErrorType;

  @ApiPropertyOptional({
    enum: ['probe', 'forced'],
    description: "Absent for a normal call; 'probe' through a half-open circuit, 'forced' through an open one because every provider was bad",
  })
  via?: 'probe' | 'forced';
}

const SOURCE_DOC = {
  enum: ['provider', 'cache', 'stale-cache'],
  description:
    "'cache' when the L1 cache answered (then attempts is empty); 'stale-cache' when no provider answered and an entry past its TTL, " +
    'within CACHE_STALE_*_MS, did',
};
const DEGRADED_DOC = {
  description: 'True when the data came from a degraded path: every provider was unhealthy or out of quota, or a stale cache entry answered',
  example: false,
};
const CACHED_AT_DOC = { description: "For 'stale-cache': when the entry was stored", format: 'date-time', example: '2025-01-15T14:29:10.000Z' };
const PROVIDER_DOC = {
  description: 'Provider that produced the data (for a cache hit, the one that filled it)',
};
const ATTEMPTS_DOC: ApiPropertyOptions = {
  type: [ProviderAttemptDto],
  description: 'Providers tried for this answer, in order',
};

export class QuoteResponseDto implements QuoteResult {
  @ApiProperty({ type: QuoteDto })
  data!: QuoteDto;

  @ApiProperty({ ...SOURCE_DOC, example: 'provider' })
  source!: DataSource;

  @ApiProperty({ ...PROVIDER_DOC, example: 'finnhub' })
  provider!: string;

  @ApiProperty(DEGRADED_DOC)
  degraded!: boolean;

  @ApiPropertyOptional(CACHED_AT_DOC)
  cachedAt?: string;

  @ApiProperty(ATTEMPTS_DOC)
  attempts!: ProviderAttemptDto[];
}

export class CryptoPriceResponseDto implements CryptoPriceResult {
  @ApiProperty({ type: CryptoPriceDto })
  data!: CryptoPriceDto;

  @ApiProperty({ ...SOURCE_DOC, example: 'cache' })
  source!: DataSource;

  @ApiProperty({ ...PROVIDER_DOC, example: 'coingecko' })
  provider!: string;

  @ApiProperty(DEGRADED_DOC)
  degraded!: boolean;

  @ApiPropertyOptional(CACHED_AT_DOC)
  cachedAt?: string;

  @ApiProperty(ATTEMPTS_DOC)
  attempts!: ProviderAttemptDto[];
}
