import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { DataOrchestrator } from '../data-orchestrator.service';
import { parseFinanceHubConfig, type FinanceHubEnv } from '../financehub.config';
import { TRAFFIC_INTERVAL_NAME } from '../financehub.constants';
import { SIMULATED_COINS, SIMULATED_STOCKS } from '../simulator/market-universe';
import { seededRandom } from '../simulator/random';
import { TrafficGenerator } from './traffic-generator.service';

/** Implements the two orchestrator methods the generator uses. */
class FakeOrchestrator {
  readonly quotes: string[] = [];
  readonly coins: [string, string | undefined][] = [];
  settle: () => Promise<unknown> = () => Promise.resolve({});

  getQuote(symbol: string): Promise<unknown> {
    this.quotes.push(symbol);
    return this.settle();
  }

  getCryptoPrice(id: string, currency?: string): Promise<unknown> {
    this.coins.push([id, currency]);
    return this.settle();
  }
}

describe('TrafficGenerator', () => {
  let registry: SchedulerRegistry;
  let orchestrator: FakeOrchestrator;
  let debug: jest.SpyInstance;

  const make = (env: FinanceHubEnv = {}, seed = 11) =>
    new TrafficGenerator(
      orchestrator as unknown as DataOrchestrator,
      registry,
      parseFinanceHubConfig({ TRAFFIC_INTERVAL_MS: '100', ...env }),
      seededRandom(seed),
    );

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new SchedulerRegistry();
    orchestrator = new FakeOrchestrator();
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => {
    for (const name of registry.getIntervals()) registry.deleteInterval(name);
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('registers an interval that requests quotes and crypto prices on every tick', async () => {
    const generator = make();
    generator.onModuleInit();
    expect(registry.getIntervals()).toEqual([TRAFFIC_INTERVAL_NAME]);

    await jest.advanceTimersByTimeAsync(99);
    expect(orchestrator.quotes).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(orchestrator.quotes).toHaveLength(2);
    expect(orchestrator.coins).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(300);
    expect(orchestrator.quotes).toHaveLength(8);
    expect(orchestrator.coins).toHaveLength(4);
  });

  it('does nothing when disabled', async () => {
    const generator = make({ TRAFFIC_GENERATOR: 'false' });
    generator.onModuleInit();
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(orchestrator.quotes).toHaveLength(0);
    expect(() => generator.onModuleDestroy()).not.toThrow();
  });

  it('removes its interval on module destroy', async () => {
    const generator = make();
    generator.onModuleInit();
    generator.onModuleDestroy();
    expect(registry.doesExist('interval', TRAFFIC_INTERVAL_NAME)).toBe(false);
    await jest.advanceTimersByTimeAsync(1000);
    expect(orchestrator.quotes).toHaveLength(0);
  });

  it('swallows failures, logging them at debug, and keeps ticking', async () => {
    orchestrator.settle = () => Promise.reject(new Error('Bad Gateway'));
    const generator = make();
    generator.onModuleInit();
    await jest.advanceTimersByTimeAsync(200);
    expect(orchestrator.quotes).toHaveLength(4);
    expect(debug).toHaveBeenCalledWith('Generated request failed: Bad Gateway');
  });

  it('skips a tick while the previous one is still running', async () => {
    let release!: () => void;
    const gate = new Promise((resolve) => (release = () => resolve({})));
    orchestrator.settle = () => gate;
    const generator = make();
    generator.onModuleInit();
    await jest.advanceTimersByTimeAsync(500);
    expect(orchestrator.quotes).toHaveLength(2);
    release();
    await jest.advanceTimersByTimeAsync(100);
    expect(orchestrator.quotes).toHaveLength(4);
  });

  it('mostly asks for instruments that exist, with the occasional typo', async () => {
    const generator = make({}, 5);
    for (let i = 0; i < 200; i++) await generator.tick();
    const knownStocks = orchestrator.quotes.filter((s) => s in SIMULATED_STOCKS);
    const knownCoins = orchestrator.coins.filter(([id]) => id in SIMULATED_COINS);
    const typos =
      orchestrator.quotes.length - knownStocks.length +
      (orchestrator.coins.length - knownCoins.length);
    expect(typos).toBeGreaterThan(0);
    expect(typos / 600).toBeLessThan(0.15);
    expect(new Set(knownStocks).size).toBeGreaterThan(5);
    for (const [, currency] of orchestrator.coins) expect(currency).toMatch(/^[a-z]{3}$/);
  });
});
