import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ProviderCall } from '../core/provider-call';
import { MAX_ERROR_MESSAGE_LENGTH } from '../core/redact';
import { MAX_ERROR_TYPE_LENGTH, MAX_LATENCY_MS, MAX_PROVIDER_NAME_LENGTH } from '../core/sample-rules';

/** One call reported over HTTP; the same rules as recordProviderCall, checked before anything is stored. */
export class RecordCallDto implements ProviderCall {
  @ApiProperty({ minLength: 1, maxLength: MAX_PROVIDER_NAME_LENGTH, example: 'finnhub' })
  @IsString()
  @Length(1, MAX_PROVIDER_NAME_LENGTH)
  provider!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_LATENCY_MS, example: 84.2, description: 'Milliseconds waited; a JSON number, not a string' })
  @IsDefined()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_LATENCY_MS)
  latencyMs!: number;

  @ApiProperty({ example: true })
  @IsDefined()
  @IsBoolean()
  success!: boolean;

  @ApiPropertyOptional({ example: false, description: 'A timed-out call also counts as a failure' })
  @IsOptional()
  @IsBoolean()
  timedOut?: boolean;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  rateLimited?: boolean;

  @ApiPropertyOptional({ example: false, description: 'Counted as a cache hit or miss at level L1 for this provider' })
  @IsOptional()
  @IsBoolean()
  cacheHit?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_ERROR_TYPE_LENGTH, example: 'http_error' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_ERROR_TYPE_LENGTH)
  errorType?: string;

  @ApiPropertyOptional({ maxLength: 4 * MAX_ERROR_MESSAGE_LENGTH, example: 'HTTP 502 from upstream', description: 'Credentials in it are redacted before storage' })
  @IsOptional()
  @IsString()
  @MaxLength(4 * MAX_ERROR_MESSAGE_LENGTH)
  errorMessage?: string;
}

export class RecordCallsResultDto {
  @ApiProperty({ example: 2, description: 'Calls stored' })
  recorded!: number;
}
