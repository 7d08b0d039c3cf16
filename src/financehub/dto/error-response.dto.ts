import { ApiProperty } from '@nestjs/swagger';
import type { ProvidersFailedBody } from '../market-data.types';
import { ProviderAttemptDto } from './market-data.dto';

export class BadRequestResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    example: 'Invalid symbol: 1-15 characters: letters, digits, "." or "-"',
    description: 'Names the parameter that failed validation',
  })
  message!: string;
}

export class ProvidersFailedResponseDto implements ProvidersFailedBody {
  @ApiProperty({ example: 502, enum: [404, 502], description: '404 when every provider has no data for it, 502 when any failed' })
  statusCode!: 404 | 502;

  @ApiProperty({ example: 'Bad Gateway', enum: ['Not Found', 'Bad Gateway'] })
  error!: 'Not Found' | 'Bad Gateway';

  @ApiProperty({
    example:
      'No provider could serve the stock quote for AAPL (finnhub: timeout, alphavantage: rate_limited)',
  })
  message!: string;

  @ApiProperty({
    type: [ProviderAttemptDto],
    description: 'Every provider tried and how it failed (no keys or URLs)',
  })
  attempts!: ProviderAttemptDto[];
}
