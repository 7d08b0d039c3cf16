/**
 * The dashboard's HTML and CSS, kept as strings because the build is plain tsc, which copies no
 * other file into dist. No inline script or style: the page's Content-Security-Policy forbids both.
 */

export interface PageFlags {
  /** The API key is configured: ask for it before the first request rather than after a 401. */
  keyRequired: boolean;
  /** GET /api/monitoring/history is registered: without it, the charts use live samples only. */
  historyApi: boolean;
  pushSeconds: number;
}

export function renderDashboardPage(flags: PageFlags): string {
  return PAGE_TEMPLATE.replace('{{keyRequired}}', String(flags.keyRequired))
    .replace('{{historyApi}}', String(flags.historyApi))
    .replace('{{pushSeconds}}', String(flags.pushSeconds));
}

const PAGE_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>FinanceHub Monitor</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/uplot.min.css">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/uplot.iife.min.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>
</head>
<body data-key-required="{{keyRequired}}" data-history-api="{{historyApi}}" data-push-seconds="{{pushSeconds}}">
<header class="top">
  <div class="brand">
    <h1>FinanceHub Monitor</h1>
    <span class="sub">Provider health, live</span>
  </div>
  <div class="system" aria-live="polite">
    <span id="system-status" class="badge badge-lg status-UNKNOWN" data-status="UNKNOWN">UNKNOWN</span>
    <ul id="status-counts" class="counts" aria-label="Providers per status"></ul>
  </div>
  <div class="meta">
    <span id="uptime" class="uptime">up –</span>
    <span id="connection" class="conn conn-wait" role="status">connecting…</span>
  </div>
</header>
<main>
  <section id="key-panel" class="card key-panel" hidden>
    <form id="key-form" autocomplete="off">
      <h2><label for="key-input">Monitoring API key</label></h2>
      <p id="key-message">This server needs the monitoring API key (MONITORING_API_KEY). It is kept in this browser tab only.</p>
      <div class="key-row">
        <input id="key-input" name="key" type="password" autocomplete="off" required spellcheck="false" placeholder="x-api-key">
        <button id="key-submit" type="submit">Connect</button>
      </div>
    </form>
  </section>

  <section class="card" aria-labelledby="providers-title">
    <div class="card-head">
      <h2 id="providers-title">Providers <span id="provider-count" class="pill">0</span></h2>
      <span class="hint">last 5 min · click a column to sort</span>
    </div>
    <div class="table-wrap">
      <table id="providers">
        <thead><tr id="provider-head"></tr></thead>
        <tbody id="provider-rows"></tbody>
      </table>
    </div>
  </section>

  <section class="card" aria-labelledby="alerts-title">
    <div class="card-head">
      <h2 id="alerts-title">Active alerts <span id="alert-count" class="pill">0</span></h2>
    </div>
    <ul id="alerts" class="alerts"></ul>
  </section>

  <section class="card" aria-labelledby="trends-title">
    <div class="card-head">
      <h2 id="trends-title">Trends</h2>
      <div id="ranges" class="ranges" role="group" aria-label="Time range">
        <button type="button" data-range="15m" aria-pressed="true">15 m</button>
        <button type="button" data-range="1h" aria-pressed="false">1 h</button>
        <button type="button" data-range="24h" aria-pressed="false">24 h</button>
        <button type="button" data-range="7d" aria-pressed="false">7 d</button>
      </div>
    </div>
    <p id="history-note" class="note"></p>
    <div class="charts">
      <figure class="chart" id="chart-p95" data-series="0" data-points="0">
        <figcaption>p95 latency <span class="unit">ms</span></figcaption>
        <div class="plot"></div>
        <p class="chart-empty">No provider has reported yet.</p>
      </figure>
      <figure class="chart" id="chart-errors" data-series="0" data-points="0">
        <figcaption>Error rate <span class="unit">%</span></figcaption>
        <div class="plot"></div>
        <p class="chart-empty">No provider has reported yet.</p>
      </figure>
      <figure class="chart" id="chart-calls" data-series="0" data-points="0">
        <figcaption>Calls <span class="unit">per min</span></figcaption>
        <div class="plot"></div>
        <p class="chart-empty">No provider has reported yet.</p>
      </figure>
      <figure class="chart" id="chart-cache" data-series="0" data-points="0">
        <figcaption>Cache hit rate <span class="unit">% per level</span></figcaption>
        <div class="plot"></div>
        <p class="chart-empty">No cache lookup yet.</p>
      </figure>
    </div>
  </section>
</main>
<footer class="foot">
  <span>JSON: <a href="/api/monitoring/health">health</a> · <a href="/api/monitoring/providers">providers</a> · <a href="/api/monitoring/alerts">alerts</a> · <a href="/api/docs">API docs</a></span>
</footer>
</body>
</html>
`;

export const DASHBOARD_STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f3f5f9;
  --card: #ffffff;
  --border: #e2e7ef;
  --text: #1b2433;
  --muted: #637087;
  --grid: #e9edf3;
  --head: #f7f9fc;
  --accent: #2563eb;
  --top: #111827;
  --top-text: #f8fafc;
  --ok: #15803d; --ok-bg: #dcfce7;
  --warn: #b45309; --warn-bg: #fef3c7;
  --bad: #b91c1c; --bad-bg: #fee2e2;
  --unk: #475569; --unk-bg: #e2e8f0;
  --info: #1d4ed8; --info-bg: #dbeafe;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0b1120;
    --card: #111a2c;
    --border: #223049;
    --text: #e5e9f0;
    --muted: #97a3b8;
    --grid: #1c2740;
    --head: #15203a;
    --accent: #60a5fa;
    --top: #060b16;
    --ok: #4ade80; --ok-bg: rgba(34, 197, 94, 0.16);
    --warn: #fbbf24; --warn-bg: rgba(245, 158, 11, 0.16);
    --bad: #f87171; --bad-bg: rgba(239, 68, 68, 0.18);
    --unk: #cbd5e1; --unk-bg: rgba(148, 163, 184, 0.18);
    --info: #93c5fd; --info-bg: rgba(59, 130, 246, 0.18);
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); }
h1, h2 { margin: 0; font-weight: 600; }
h1 { font-size: 17px; letter-spacing: 0.01em; }
h2 { font-size: 15px; display: flex; align-items: center; gap: 8px; }
[hidden] { display: none !important; }

.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px;
  padding: 12px 20px; background: var(--top); color: var(--top-text);
  position: sticky; top: 0; z-index: 10;
}
.brand { display: flex; flex-direction: column; }
.brand .sub { font-size: 12px; opacity: 0.65; }
.system { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; flex: 1 1 auto; }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; font-size: 12px; }
.uptime { opacity: 0.75; font-variant-numeric: tabular-nums; }
.counts { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.counts li {
  display: inline-flex; align-items: center; gap: 6px; padding: 2px 9px; border-radius: 999px;
  background: rgba(255, 255, 255, 0.08); font-size: 12px; font-variant-numeric: tabular-nums;
}
.counts li.zero { opacity: 0.5; }
.counts b { font-weight: 600; }
.dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; background: #94a3b8; }
.dot.status-HEALTHY { background: #22c55e; }
.dot.status-DEGRADED { background: #f59e0b; }
.dot.status-UNHEALTHY { background: #ef4444; }
.dot.status-UNKNOWN { background: #94a3b8; }
.conn { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.conn::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #94a3b8; }
.conn-ok::before { background: #22c55e; box-shadow: 0 0 0 3px rgba(34, 197, 94, 0.25); }
.conn-wait::before { background: #f59e0b; }
.conn-bad::before { background: #ef4444; }

.badge {
  display: inline-block; padding: 1px 8px; border-radius: 6px; font-size: 11px; font-weight: 700;
  letter-spacing: 0.04em; white-space: nowrap; background: var(--unk-bg); color: var(--unk);
}
.badge.status-HEALTHY, .badge.sev-info { background: var(--ok-bg); color: var(--ok); }
.badge.status-DEGRADED, .badge.sev-warning { background: var(--warn-bg); color: var(--warn); }
.badge.status-UNHEALTHY, .badge.sev-critical { background: var(--bad-bg); color: var(--bad); }
.badge.sev-info { background: var(--info-bg); color: var(--info); }
.badge-lg { font-size: 14px; padding: 4px 12px; border-radius: 8px; color: #fff; }
.badge-lg.status-HEALTHY { background: #16a34a; color: #fff; }
.badge-lg.status-DEGRADED { background: #d97706; color: #fff; }
.badge-lg.status-UNHEALTHY { background: #dc2626; color: #fff; }
.badge-lg.status-UNKNOWN { background: #475569; color: #fff; }

main { max-width: 1440px; margin: 0 auto; padding: 16px; display: grid; gap: 16px; }
.card {
  background: var(--card); border: 1px solid var(--border); border-radius: 10px;
  padding: 14px 16px; min-width: 0; box-shadow: 0 1px 2px rgba(15, 23, 42, 0.04);
}
.card-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px; margin-bottom: 10px; }
.hint, .note, .unit { color: var(--muted); font-size: 12px; }
.note { margin: 0 0 10px; }
.pill {
  display: inline-block; min-width: 22px; padding: 0 7px; border-radius: 999px; text-align: center;
  background: var(--unk-bg); color: var(--muted); font-size: 12px; font-weight: 600;
}
.pill.hot { background: var(--bad-bg); color: var(--bad); }

.key-panel { border-color: var(--accent); }
.key-panel p { margin: 6px 0 10px; color: var(--muted); }
.key-panel p.refused { color: var(--bad); }
.key-row { display: flex; gap: 8px; flex-wrap: wrap; }
.key-row input {
  flex: 1 1 240px; min-width: 0; padding: 8px 10px; font: inherit; color: var(--text);
  background: var(--bg); border: 1px solid var(--border); border-radius: 6px;
}
button {
  font: inherit; cursor: pointer; color: var(--text); background: var(--card);
  border: 1px solid var(--border); border-radius: 6px; padding: 6px 12px;
}
button:hover { border-color: var(--accent); }
button:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#key-submit { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }

.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0 -16px; padding: 0 16px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 8px 10px; text-align: left; border-bottom: 1px solid var(--border); vertical-align: top; }
th { background: var(--head); font-size: 12px; font-weight: 600; color: var(--muted); white-space: nowrap; padding: 0; }
th button {
  width: 100%; text-align: inherit; border: 0; border-radius: 0; background: transparent; color: inherit;
  font-weight: 600; padding: 8px 10px; display: inline-flex; gap: 4px; align-items: center;
}
th.num, td.num { text-align: right; }
th.num button { justify-content: flex-end; }
th[aria-sort="ascending"] button::after { content: "▲"; font-size: 9px; }
th[aria-sort="descending"] button::after { content: "▼"; font-size: 9px; }
th[aria-sort] { color: var(--text); }
tbody tr:hover td { background: var(--head); }
td.name { font-weight: 600; white-space: nowrap; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
td.num { white-space: nowrap; }
td.warn { color: var(--warn); font-weight: 600; }
td.bad { color: var(--bad); font-weight: 600; }
td.muted, .muted { color: var(--muted); }
td.error { min-width: 200px; max-width: 300px; }
td.advice { min-width: 240px; max-width: 420px; font-size: 13px; }
.clip { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
.advice .clip { -webkit-line-clamp: 3; }
.sub-line { display: block; font-size: 11px; color: var(--muted); }
.score { display: inline-flex; align-items: center; gap: 6px; justify-content: flex-end; }
.bar { width: 38px; height: 5px; border-radius: 3px; background: var(--grid); overflow: hidden; display: inline-block; }
.bar > span { display: block; height: 100%; border-radius: 3px; background: var(--ok); }
.bar > span.warn { background: var(--warn); }
.bar > span.bad { background: var(--bad); }
td.empty, li.empty { text-align: center; color: var(--muted); padding: 22px 10px; }
li.empty { border: 1px dashed var(--border); border-radius: 8px; }

.alerts { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.alerts li.alert {
  border: 1px solid var(--border); border-left: 4px solid var(--unk); border-radius: 8px; padding: 8px 12px;
}
.alerts li.sev-critical { border-left-color: var(--bad); }
.alerts li.sev-warning { border-left-color: var(--warn); }
.alerts li.sev-info { border-left-color: var(--info); }
.alert-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.alert-head .since { color: var(--muted); font-size: 12px; margin-left: auto; }
.alert p { margin: 4px 0 0; font-size: 13px; overflow-wrap: anywhere; }
.alerts li.alert { cursor: pointer; }

.ranges { display: inline-flex; border: 1px solid var(--border); border-radius: 7px; overflow: hidden; }
.ranges button { border: 0; border-radius: 0; padding: 5px 12px; background: transparent; }
.ranges button + button { border-left: 1px solid var(--border); }
.ranges button[aria-pressed="true"] { background: var(--accent); color: #fff; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
.chart { margin: 0; border: 1px solid var(--border); border-radius: 8px; padding: 10px 10px 4px; min-width: 0; }
.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.chart .plot { min-height: 40px; }
.chart-empty { color: var(--muted); text-align: center; padding: 70px 10px; margin: 0; }
.chart[data-points="0"] .plot { display: none; }
.chart:not([data-points="0"]) .chart-empty { display: none; }
.uplot { font-family: inherit; color: var(--text); }
.uplot .u-legend { font-size: 12px; text-align: left; }
.uplot .u-legend .u-marker { border-radius: 2px; }

.foot { max-width: 1440px; margin: 0 auto; padding: 4px 16px 24px; color: var(--muted); font-size: 12px; }

@media (max-width: 900px) {
  .charts { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 600px) {
  .top { padding: 10px 12px; position: static; }
  main { padding: 10px; gap: 10px; }
  .card { padding: 12px; }
  .table-wrap { margin: 0 -12px; padding: 0 12px; }
  .meta { width: 100%; justify-content: space-between; }
  .alert p { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
  .alert.expanded p { display: block; }
  .alert-head .since { margin-left: 0; width: 100%; }
}
`;
