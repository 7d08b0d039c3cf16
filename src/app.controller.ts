import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** A landing page for people who open the root URL, and a trivial route to measure HTTP overhead against. */
@ApiExcludeController()
@Controller()
export class AppController {
  @Get()
  index() {
    return {
      name: 'FinanceHub Monitor',
      docs: '/api/docs',
      health: '/api/monitoring/health',
      providers: '/api/monitoring/providers',
      quotes: '/api/quotes/AAPL',
      crypto: '/api/crypto/bitcoin',
    };
  }

  @Get('api/ping')
  ping() {
    return { ok: true };
  }
}
