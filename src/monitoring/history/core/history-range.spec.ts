import { parseHistoryTime, resolveHistoryRange } from './history-range';

const NOW = Date.UTC(2026, 11, 3, 19, 15);

describe('parseHistoryTime', () => {
  it.each([
    ['1796324400000', 1796324400000],
    ['2026-12-03', Date.UTC(2026, 11, 3)],
    ['2026-12-03T19:00', Date.UTC(2026, 11, 3, 19)],
    ['2026-12-03T19:00:05Z', Date.UTC(2026, 11, 3, 19, 0, 5)],
    ['2026-12-03T19:00:05.25Z', Date.UTC(2026, 11, 3, 19, 0, 5, 250)],
    ['2026-12-03T20:00:00+01:00', Date.UTC(2026, 11, 3, 19)],
    ['2026-12-03T20:00:00 0100', Date.UTC(2026, 11, 3, 19)], // an unencoded + in a URL arrives as a space
    ['2026-12-03T17:30:00-01:30', Date.UTC(2026, 11, 3, 19)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (raw, ms) => {
    expect(parseHistoryTime(raw)).toBe(ms);
  });

  it.each(['yesterday', '', '2026-02-30', '2025-02-29T00:00Z', '2026-13-01', '2026-12-03T24:00', '2026-12-03T19:60', '-5', '1e12', '12.5', '2026-12-03T19:00+25:00', '9'.repeat(16)])(
    'refuses %j',
    (raw) => {
      expect(parseHistoryTime(raw)).toBeNull();
    },
  );
});

describe('resolveHistoryRange', () => {
  it('defaults to the hour before now at minute resolution', () => {
    expect(resolveHistoryRange({}, NOW)).toEqual({ ok: true, range: { fromMs: NOW - 3_600_000, toMs: NOW, resolution: 'minute' } });
    expect(resolveHistoryRange({ to: '2026-12-03' }, NOW)).toEqual({
      ok: true,
      range: { fromMs: Date.UTC(2026, 11, 2, 23), toMs: Date.UTC(2026, 11, 3), resolution: 'minute' },
    });
  });

  it('allows each resolution its widest span and no more', () => {
    const from = '2026-01-01';
    expect(resolveHistoryRange({ from, to: '2026-01-03' }, NOW).ok).toBe(true);
    expect(resolveHistoryRange({ from, to: '2026-01-03T00:00:00.001Z' }, NOW)).toEqual({
      ok: false,
      problems: ['from and to are 48 h apart, 1 ms more than the 48 h resolution=minute allows: use resolution=hour or a shorter range'],
    });
    expect(resolveHistoryRange({ from, to: '2026-02-01', resolution: 'hour' }, NOW).ok).toBe(true);
    expect(resolveHistoryRange({ from, to: '2026-02-02', resolution: 'hour' }, NOW)).toMatchObject({ ok: false, problems: [expect.stringContaining('32 days')] });
    expect(resolveHistoryRange({ from, to: '2027-01-02', resolution: 'day' }, NOW).ok).toBe(true);
    expect(resolveHistoryRange({ from, to: '2027-01-03', resolution: 'day' }, NOW)).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/367 days apart, 24 h more than the 366 days resolution=day allows: use a shorter range$/)],
    });
  });

  it('lists every problem, each naming its parameter', () => {
    expect(resolveHistoryRange({ from: 'soon', to: 'later', resolution: 'week' }, NOW)).toEqual({
      ok: false,
      problems: [
        'resolution must be one of minute, hour, day (got "week")',
        expect.stringMatching(/^to must be an ISO 8601 time/),
        expect.stringMatching(/^from must be an ISO 8601 time/),
      ],
    });
    expect(resolveHistoryRange({ from: '2026-12-03T20:00Z', to: '2026-12-03T19:00Z' }, NOW)).toEqual({
      ok: false,
      problems: ['from (2026-12-03T20:00:00.000Z) must not be after to (2026-12-03T19:00:00.000Z)'],
    });
  });
});
