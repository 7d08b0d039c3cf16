import { ConfigService } from '@nestjs/config';
import { Script } from 'node:vm';
import { dashboardOptionsFromConfig } from './dashboard.config';
import { DASHBOARD_SCRIPT } from './dashboard.client';
import { renderDashboardPage } from './dashboard.page';

const config = (env: Record<string, string>) => new ConfigService(env);

describe('dashboardOptionsFromConfig', () => {
  it('defaults to a push every 5 seconds, also for an empty value', () => {
    expect(dashboardOptionsFromConfig(config({}))).toEqual({ pushSeconds: 5 });
    expect(dashboardOptionsFromConfig(config({ DASHBOARD_PUSH_SECONDS: ' ' }))).toEqual({ pushSeconds: 5 });
  });

  it('takes a number of seconds from 1 to 3600', () => {
    expect(dashboardOptionsFromConfig(config({ DASHBOARD_PUSH_SECONDS: '1' }))).toEqual({ pushSeconds: 1 });
    expect(dashboardOptionsFromConfig(config({ DASHBOARD_PUSH_SECONDS: '2.5' }))).toEqual({ pushSeconds: 2.5 });
    expect(dashboardOptionsFromConfig(config({ DASHBOARD_PUSH_SECONDS: '3600' }))).toEqual({ pushSeconds: 3600 });
  });

  it.each(['0', '0.5', '3601', 'five', 'Infinity', '1e9', '0x10', '1e1', '-5'])('refuses %s, naming the variable', (value) => {
    expect(() => dashboardOptionsFromConfig(config({ DASHBOARD_PUSH_SECONDS: value }))).toThrow(
      `Environment variable DASHBOARD_PUSH_SECONDS must be a number of seconds from 1 to 3600 (got "${value}")`,
    );
  });
});

describe('dashboard page', () => {
  it('fills in its flags', () => {
    const page = renderDashboardPage({ keyRequired: true, historyApi: false, pushSeconds: 7 });
    expect(page).toContain('data-key-required="true" data-history-api="false" data-push-seconds="7"');
    expect(page).not.toContain('{{');
  });

  it('ships a script that parses as plain browser JavaScript', () => {
    expect(() => new Script(DASHBOARD_SCRIPT)).not.toThrow();
    // String.raw keeps regular expressions and escapes as written.
    expect(DASHBOARD_SCRIPT).toContain("replace(/\\r\\n?/g, '\\n')");
  });
});
