import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { hasGetRoute } from './route-discovery';

@Controller('api/monitoring')
class HistoryLikeController {
  @Get('history')
  history(): string {
    return 'h';
  }

  @Post('reports')
  report(): string {
    return 'r';
  }
}

@Controller()
class RootController {
  @Get(['/alpha/beta/', 'gamma'])
  paths(): string {
    return 'p';
  }
}

describe('hasGetRoute', () => {
  let discovery: DiscoveryService;
  let scanner: MetadataScanner;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers: [HistoryLikeController, RootController] }).compile();
    discovery = moduleRef.get(DiscoveryService);
    scanner = moduleRef.get(MetadataScanner);
  });

  it('finds a GET route by controller prefix and method path, whatever the slashes', () => {
    expect(hasGetRoute(discovery, scanner, 'api/monitoring/history')).toBe(true);
    expect(hasGetRoute(discovery, scanner, '/api/monitoring/history/')).toBe(true);
    expect(hasGetRoute(discovery, scanner, 'alpha/beta')).toBe(true);
    expect(hasGetRoute(discovery, scanner, 'gamma')).toBe(true);
  });

  it('ignores other methods and other paths', () => {
    expect(hasGetRoute(discovery, scanner, 'api/monitoring/reports')).toBe(false);
    expect(hasGetRoute(discovery, scanner, 'api/monitoring')).toBe(false);
    expect(hasGetRoute(discovery, scanner, 'api/monitoring/history/cache')).toBe(false);
  });
});
