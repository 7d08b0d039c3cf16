import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiNotFoundResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { DataOrchestrator } from './data-orchestrator.service';
import {
  BadRequestResponseDto,
  ProvidersFailedResponseDto,
} from './dto/error-response.dto';
import { CryptoPriceResponseDto, QuoteResponseDto } from './dto/market-data.dto';
import type { CryptoPriceResult, QuoteResult } from './market-data.types';

@ApiTags('market-data')
@Controller('api')
export class MarketDataController {
  constructor(private readonly orchestrator: DataOrchestrator) {}

  @Get('quotes/:symbol')
  @ApiOperation({
    summary: 'Stock quote',
    description:
      'From the L1 cache, else from the stock providers in STOCK_PROVIDER_ORDER, falling back on failure.',
  })
  @ApiParam({
    name: 'symbol',
    example: 'AAPL',
    description: '1-15 of A-Z a-z 0-9 . -',
  })
  @ApiOkResponse({ type: QuoteResponseDto })
  @ApiBadRequestResponse({
    type: BadRequestResponseDto,
    description: 'Invalid symbol',
  })
  @ApiNotFoundResponse({
    type: ProvidersFailedResponseDto,
    description: 'Every provider answered that it has no data for it',
  })
  @ApiBadGatewayResponse({
    type: ProvidersFailedResponseDto,
    description: 'Every provider failed',
  })
  getQuote(@Param('symbol') symbol: string): Promise<QuoteResult> {
    return this.orchestrator.getQuote(symbol);
  }

  @Get('crypto/:id')
  @ApiOperation({
    summary: 'Crypto price',
    description: 'From the L1 cache, else from the crypto providers (CoinGecko).',
  })
  @ApiParam({
    name: 'id',
    example: 'bitcoin',
    description: 'CoinGecko coin id',
  })
  @ApiQuery({
    name: 'currency',
    required: false,
    example: 'usd',
    description: '3-5 lowercase letters; defaults to usd',
  })
  @ApiOkResponse({ type: CryptoPriceResponseDto })
  @ApiBadRequestResponse({
    type: BadRequestResponseDto,
    description: 'Invalid id or currency',
  })
  @ApiNotFoundResponse({
    type: ProvidersFailedResponseDto,
    description: 'Every provider answered that it has no data for it',
  })
  @ApiBadGatewayResponse({
    type: ProvidersFailedResponseDto,
    description: 'Every provider failed',
  })
  getCryptoPrice(
    @Param('id') id: string,
    @Query('currency') currency?: string,
  ): Promise<CryptoPriceResult> {
    return this.orchestrator.getCryptoPrice(id, currency);
  }
}
