import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { L1Cache } from './cache/l1-cache';
import {
  FINANCEHUB_ENV_KEYS,
  parseFinanceHubConfig,
  resolveProviderBaseUrl,
  type FinanceHubConfig,
  type FinanceHubEnv,
} from './financehub.config';
import {
  FINANCEHUB_CONFIG,
  FINANCEHUB_RANDOM,
  L1_CACHE,
  MARKET_DATA_PROVIDERS,
} from './financehub.constants';
import { simulatorListening } from './financehub.messages';
import { AlphaVantageAdapter } from './providers/alpha-vantage.adapter';
import { CoinGeckoAdapter } from './providers/coingecko.adapter';
import { FinnhubAdapter } from './providers/finnhub.adapter';
import type {
  MarketDataProvider,
  ProviderAdapterOptions,
  ProviderName,
} from './providers/market-data-provider';
import { ProviderSimulator } from './simulator/provider-simulator';
import { registerSecrets } from '../monitoring';

/** Config is read once, here; everything else injects FINANCEHUB_CONFIG. */
export const configProvider: Provider = {
  provide: FINANCEHUB_CONFIG,
  inject: [ConfigService],
  useFactory: (configService: ConfigService): FinanceHubConfig => {
    const env: FinanceHubEnv = {};
    for (const key of FINANCEHUB_ENV_KEYS) env[key] = configService.get<unknown>(key);
    const config = parseFinanceHubConfig(env);
    // Keys then never show, even where a provider quotes one back in prose.
    registerSecrets(Object.values(config.providers).map((p) => p.apiKey));
    return config;
  },
};

export const randomProvider: Provider = {
  provide: FINANCEHUB_RANDOM,
  useValue: Math.random,
};

/**
 * The simulator, already listening, or null when disabled. Started here (async factory)
 * so adapters get its URL and it answers before anything calls a provider.
 */
export const simulatorProvider: Provider = {
  provide: ProviderSimulator,
  inject: [FINANCEHUB_CONFIG],
  useFactory: async (
    config: FinanceHubConfig,
  ): Promise<ProviderSimulator | null> => {
    if (!config.simulator.enabled) return null;
    const simulator = new ProviderSimulator({
      port: config.simulator.port,
      profiles: config.simulator.profiles,
    });
    const url = await simulator.start();
    new Logger('FinanceHubModule').log(simulatorListening(url));
    return simulator;
  },
};

export const marketDataProvidersProvider: Provider = {
  provide: MARKET_DATA_PROVIDERS,
  inject: [FINANCEHUB_CONFIG, ProviderSimulator],
  useFactory: (
    config: FinanceHubConfig,
    simulator: ProviderSimulator | null,
  ): MarketDataProvider[] => {
    const endpoint = (name: ProviderName): ProviderAdapterOptions => ({
      baseUrl: resolveProviderBaseUrl(config, name, simulator?.url),
      apiKey: config.providers[name].apiKey,
    });
    return [
      new FinnhubAdapter(endpoint('finnhub')),
      new AlphaVantageAdapter(endpoint('alphavantage')),
      new CoinGeckoAdapter(endpoint('coingecko')),
    ];
  },
};

export const cacheProvider: Provider = {
  provide: L1_CACHE,
  inject: [FINANCEHUB_CONFIG],
  useFactory: (config: FinanceHubConfig): L1Cache =>
    new L1Cache({ ttlMs: config.cache.ttlMs, staleMs: config.cache.staleMs, maxEntries: config.cache.maxEntries }),
};
