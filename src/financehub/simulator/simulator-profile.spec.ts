import {
  DEFAULT_SIMULATOR_PROFILES,
  mergeProfile,
  parseSimulatorProfiles,
  validateProfilePatch,
} from './simulator-profile';

describe('parseSimulatorProfiles', () => {
  it('returns no overrides when unset or blank', () => {
    expect(parseSimulatorProfiles(undefined)).toEqual({});
    expect(parseSimulatorProfiles('  ')).toEqual({});
  });

  it('parses partial profiles per provider', () => {
    expect(
      parseSimulatorProfiles(
        '{"finnhub":{"errorRate":1},"coingecko":{"latencyMs":{"median":5}}}',
      ),
    ).toEqual({ finnhub: { errorRate: 1 }, coingecko: { latencyMs: { median: 5 } } });
  });

  it.each([
    ['{not json', /SIMULATOR_PROFILES is not valid JSON/],
    ['[1]', /SIMULATOR_PROFILES must be a JSON object/],
    ['{"yahoo":{}}', /SIMULATOR_PROFILES\.yahoo is not a simulated provider/],
    ['{"finnhub":{"errorRate":2}}', /SIMULATOR_PROFILES\.finnhub\.errorRate must be a number between 0 and 1 \(got 2\)/],
    ['{"finnhub":{"errorRate":"0.5"}}', /SIMULATOR_PROFILES\.finnhub\.errorRate must be a number/],
    ['{"alphavantage":{"timeoutRate":-0.1}}', /SIMULATOR_PROFILES\.alphavantage\.timeoutRate/],
    ['{"coingecko":{"latencyMs":{"median":-1}}}', /SIMULATOR_PROFILES\.coingecko\.latencyMs\.median must be a number between 0 and 60000/],
    ['{"coingecko":{"latencyMs":{"p99":1}}}', /SIMULATOR_PROFILES\.coingecko\.latencyMs\.p99 is not a latency field/],
    ['{"finnhub":{"eror_rate":1}}', /SIMULATOR_PROFILES\.finnhub\.eror_rate is not a profile field/],
    ['{"finnhub":5}', /SIMULATOR_PROFILES\.finnhub must be an object/],
  ])('rejects %s naming the field', (json, message) => {
    expect(() => parseSimulatorProfiles(json)).toThrow(message);
  });
});

describe('mergeProfile', () => {
  it('overrides only the given fields and does not share nested objects', () => {
    const base = DEFAULT_SIMULATOR_PROFILES.finnhub;
    const merged = mergeProfile(base, validateProfilePatch({ latencyMs: { jitter: 0 } }, 'p'));
    expect(merged).toEqual({ ...base, latencyMs: { median: base.latencyMs.median, jitter: 0 } });
    expect(merged.latencyMs).not.toBe(base.latencyMs);
  });
});

describe('DEFAULT_SIMULATOR_PROFILES', () => {
  it('makes finnhub fast and reliable, alphavantage slow and coingecko flaky', () => {
    const { finnhub, alphavantage, coingecko } = DEFAULT_SIMULATOR_PROFILES;
    expect(finnhub.latencyMs.median).toBeLessThan(coingecko.latencyMs.median);
    expect(alphavantage.latencyMs.median).toBeGreaterThanOrEqual(500);
    expect(alphavantage.rateLimitRate).toBeGreaterThan(0);
    const failRate = (p: typeof coingecko) =>
      1 - (1 - p.timeoutRate) * (1 - p.rateLimitRate) * (1 - p.errorRate) * (1 - p.noDataRate);
    expect(failRate(coingecko)).toBeGreaterThan(0.15);
    expect(failRate(coingecko)).toBeLessThan(0.25);
    expect(failRate(finnhub)).toBeLessThan(0.02);
  });
});
