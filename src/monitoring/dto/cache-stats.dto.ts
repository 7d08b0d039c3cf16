import { ApiProperty } from '@nestjs/swagger';
import { CacheStats } from '../core/metrics-registry';
import { CacheCountsDto } from './provider-metrics.dto';

export class CacheStatsDto extends CacheCountsDto implements CacheStats {
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CacheCountsDto' },
    example: { L1: { hits: 120, misses: 40, hitRate: 0.75 } },
    description: 'Per cache level (L1, L2, ...)',
  })
  byLevel!: Record<string, CacheCountsDto>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CacheCountsDto' },
    example: { finnhub: { hits: 80, misses: 20, hitRate: 0.8 } },
    description: 'Per provider, for lookups that named one',
  })
  byProvider!: Record<string, CacheCountsDto>;
}
