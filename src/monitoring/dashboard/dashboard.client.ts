/**
 * The page's script, served as /dashboard/assets/dashboard.js. Plain browser JavaScript kept in
 * a string (String.raw keeps its backslashes), because the build is plain tsc and copies no other
 * file; it must hold no backtick and no dollar-brace. The DOM is built with textContent only, so
 * provider names and error messages never become markup.
 *
 * Charts use uPlot: about 50 KB with no dependency, served by this app so the page works
 * offline, and it draws thousands of points on a canvas without slowing the page.
 */
export const DASHBOARD_SCRIPT = String.raw`(function () {
  'use strict';

  var KEY_STORAGE = 'financehub-monitor.api-key';
  var STREAM_URL = '/api/monitoring/stream';
  var STATUSES = ['HEALTHY', 'DEGRADED', 'UNHEALTHY', 'UNKNOWN'];
  var STATUS_RANK = { UNHEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, HEALTHY: 3 };
  // Minute buckets up to 48 h and hour buckets up to 31 d are what the history API keeps.
  var RANGES = {
    '15m': { ms: 15 * 60e3, resolution: 'minute', bucketMinutes: 1, refreshMs: 30e3 },
    '1h': { ms: 60 * 60e3, resolution: 'minute', bucketMinutes: 1, refreshMs: 30e3 },
    '24h': { ms: 24 * 3600e3, resolution: 'hour', bucketMinutes: 60, refreshMs: 300e3 },
    '7d': { ms: 7 * 24 * 3600e3, resolution: 'hour', bucketMinutes: 60, refreshMs: 300e3 },
  };
  // More lines than this make a chart unreadable, and each one costs a history request.
  var MAX_CHART_PROVIDERS = 8;
  // Live samples are the fallback when there is no history; two hours of them is plenty.
  var LIVE_KEEP_MS = 2 * 3600e3;
  var HISTORY_RETRY_MS = 5 * 60e3;
  var PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];

  var body = document.body;
  var config = {
    keyRequired: body.getAttribute('data-key-required') === 'true',
    historyApi: body.getAttribute('data-history-api') === 'true',
    pushSeconds: Number(body.getAttribute('data-push-seconds')) || 5,
  };

  var state = {
    snapshot: null,
    sort: { key: 'status', dir: 1 },
    range: '15m',
    live: [],
    lastCache: null,
    history: null,
    historyNote: '',
    historyToken: 0,
    historyKey: '',
    historyTimer: null,
    colors: {},
    charts: {},
  };

  function $(id) {
    return document.getElementById(id);
  }

  // Builds an element; children are nodes or strings (set as text, never parsed as HTML).
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === 'text') node.textContent = String(value);
        else if (name === 'className') node.className = value;
        else node.setAttribute(name, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---- formatting ----
  function fmtMs(v) {
    if (v === null || v === undefined) return '–';
    if (v === 0) return '0 ms';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 100) return Math.round(v) + ' ms';
    return v.toFixed(1) + ' ms';
  }
  function fmtPct(ratio) {
    if (ratio === null || ratio === undefined) return '–';
    var p = ratio * 100;
    return (p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)) + ' %';
  }
  function fmtNum(v, digits) {
    if (v === null || v === undefined) return '–';
    return v.toFixed(digits === undefined ? 0 : digits);
  }
  function fmtDuration(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var d = Math.floor(s / 86400);
    var hr = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60);
    if (d > 0) return d + 'd ' + hr + 'h';
    if (hr > 0) return hr + 'h ' + (m < 10 ? '0' : '') + m + 'm';
    if (m > 0) return m + 'm ' + (s % 60) + 's';
    return s + 's';
  }
  function ago(iso, nowMs) {
    if (!iso) return '';
    var seconds = Math.max(0, (nowMs - Date.parse(iso)) / 1000);
    return fmtDuration(seconds) + ' ago';
  }
  function clock(iso) {
    var d = new Date(iso);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  // ---- API key and fetch ----
  function AuthError() {
    this.message = 'the API key was refused';
  }

  function currentKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || '';
    } catch (e) {
      return '';
    }
  }

  function apiFetch(path, init) {
    var options = init || {};
    var headers = new Headers(options.headers || {});
    var key = currentKey();
    if (key) headers.set('x-api-key', key);
    options.headers = headers;
    options.cache = 'no-store';
    return fetch(path, options).then(function (res) {
      if (res.status === 401) {
        askForKey(key ? 'That key was refused. Enter the monitoring API key again.' : null);
        throw new AuthError();
      }
      return res;
    });
  }

  // Resolves to the JSON body, or to null when the endpoint or the subject does not exist.
  function fetchJson(path) {
    return apiFetch(path).then(function (res) {
      if (res.status === 404) return null;
      if (!res.ok) throw new Error('HTTP ' + res.status + ' from ' + path.split('?')[0]);
      return res.json();
    });
  }

  function askForKey(message) {
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      /* storage may be disabled: the key then lives only in the form */
    }
    stopStream();
    var text = $('key-message');
    if (message) {
      text.textContent = message;
      text.className = 'refused';
    }
    $('key-panel').hidden = false;
    setConnection('bad', 'API key needed');
    $('key-input').focus();
  }

  $('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = $('key-input').value.trim();
    if (!key) return;
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch (e) {
      /* without storage the key is asked for again on reload */
    }
    $('key-input').value = '';
    $('key-panel').hidden = true;
    start();
  });

  // ---- the stream: fetch + reader, since EventSource cannot send the key header ----
  var stream = { controller: null, attempt: 0, retryTimer: null, watchdog: null };

  function setConnection(kind, text) {
    var node = $('connection');
    node.className = 'conn conn-' + kind;
    node.textContent = text;
  }

  function stopStream() {
    clearTimeout(stream.retryTimer);
    clearTimeout(stream.watchdog);
    if (stream.controller) stream.controller.abort();
    stream.controller = null;
  }

  // A connection that goes silent (a proxy or a sleeping laptop) is dropped and opened again.
  function armWatchdog(controller) {
    clearTimeout(stream.watchdog);
    stream.watchdog = setTimeout(function () {
      controller.abort();
    }, Math.max(15e3, config.pushSeconds * 3e3 + 5e3));
  }

  function connect() {
    stopStream();
    var controller = new AbortController();
    stream.controller = controller;
    setConnection('wait', stream.attempt > 0 ? 'reconnecting…' : 'connecting…');
    var reader = null;
    apiFetch(STREAM_URL, { headers: { accept: 'text/event-stream' }, signal: controller.signal })
      .then(function (res) {
        if (!res.ok || !res.body) throw new Error('the stream answered HTTP ' + res.status);
        reader = res.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        armWatchdog(controller);
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            armWatchdog(controller);
            buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
            var end = buffer.indexOf('\n\n');
            while (end >= 0) {
              handleFrame(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
            }
            return pump();
          });
        }
        return pump();
      })
      .catch(function (error) {
        if (error instanceof AuthError) return 'auth';
        if (stream.controller === controller && !controller.signal.aborted) {
          setConnection('bad', 'stream lost: ' + (error && error.message ? error.message : 'network error'));
        }
        return 'failed';
      })
      .then(function (outcome) {
        if (outcome === 'auth' || stream.controller !== controller) return;
        clearTimeout(stream.watchdog);
        if (reader) reader.cancel().catch(function () {});
        scheduleReconnect();
      });
  }

  function scheduleReconnect() {
    var delay = Math.min(30e3, 1000 * Math.pow(2, stream.attempt));
    delay = Math.round(delay * (0.75 + Math.random() * 0.5));
    stream.attempt++;
    setConnection('wait', 'reconnecting in ' + Math.ceil(delay / 1000) + ' s');
    stream.retryTimer = setTimeout(connect, delay);
  }

  function handleFrame(frame) {
    var type = 'message';
    var data = [];
    frame.split('\n').forEach(function (line) {
      if (line === '' || line.charAt(0) === ':') return;
      var colon = line.indexOf(':');
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    });
    if (data.length === 0) return;
    if (type === 'snapshot') {
      var snapshot;
      try {
        snapshot = JSON.parse(data.join('\n'));
      } catch (e) {
        return;
      }
      onSnapshot(snapshot);
    } else if (type === 'error') {
      setConnection('bad', 'server error: ' + data.join(' '));
    }
  }

  function onSnapshot(snapshot) {
    state.snapshot = snapshot;
    stream.attempt = 0;
    setConnection('ok', 'live · ' + clock(snapshot.at));
    renderHeader(snapshot);
    renderProviders();
    renderAlerts(snapshot.alerts);
    recordLive(snapshot);
    var key = state.range + '|' + chartProviders().join(',') + '|' + cacheLevels().join(',');
    if (key !== state.historyKey) {
      state.historyKey = key;
      refreshHistory();
    } else {
      renderCharts();
    }
  }

  // ---- header ----
  function renderHeader(snapshot) {
    var health = snapshot.health;
    var badge = $('system-status');
    badge.textContent = health.status;
    badge.className = 'badge badge-lg status-' + health.status;
    badge.setAttribute('data-status', health.status);
    document.title = health.status + ' · FinanceHub Monitor';
    var list = $('status-counts');
    clear(list);
    STATUSES.forEach(function (status) {
      var n = health.counts[status] || 0;
      list.appendChild(
        h('li', { className: n === 0 ? 'zero' : '', 'data-status': status, title: n + ' ' + status.toLowerCase() }, [
          h('span', { className: 'dot status-' + status }),
          h('b', { text: String(n) }),
          ' ' + status.toLowerCase(),
        ]),
      );
    });
    $('uptime').textContent = 'up ' + fmtDuration(snapshot.uptimeSeconds);
  }

  // ---- provider table ----
  // firstDir: the order of a first click, worst first for the numbers an operator scans.
  var COLUMNS = [
    { key: 'provider', label: 'Provider', firstDir: 1 },
    { key: 'status', label: 'Status', firstDir: 1 },
    { key: 'score', label: 'Score', num: true, firstDir: 1 },
    { key: 'callsPerMinute', label: 'Calls/min', num: true, firstDir: -1 },
    { key: 'errorRate', label: 'Error rate', num: true, firstDir: -1, issue: 'high_error_rate' },
    { key: 'p50', label: 'p50', num: true, firstDir: -1 },
    { key: 'p95', label: 'p95', num: true, firstDir: -1, issue: 'high_latency' },
    { key: 'p99', label: 'p99', num: true, firstDir: -1 },
    { key: 'timeouts', label: 'Timeouts', num: true, firstDir: -1, issue: 'timeouts' },
    { key: 'lastError', label: 'Last error', firstDir: 1 },
    { key: 'recommendation', label: 'Recommendation', firstDir: 1 },
  ];

  function buildHead() {
    var row = $('provider-head');
    COLUMNS.forEach(function (column) {
      var button = h('button', { type: 'button', text: column.label, 'data-key': column.key });
      button.addEventListener('click', function () {
        if (state.sort.key === column.key) state.sort.dir = -state.sort.dir;
        else state.sort = { key: column.key, dir: column.firstDir };
        renderProviders();
      });
      row.appendChild(h('th', { scope: 'col', className: column.num ? 'num' : '', 'data-key': column.key }, [button]));
    });
  }

  function providerRows(snapshot) {
    var health = {};
    snapshot.health.providers.forEach(function (p) {
      health[p.provider] = p;
    });
    return snapshot.providers.map(function (m) {
      var judged = health[m.provider];
      var issues = judged ? judged.issues : [];
      var w = m.window;
      return {
        provider: m.provider,
        status: judged ? judged.status : 'UNKNOWN',
        score: judged ? judged.score : null,
        callsPerMinute: w.callsPerMinute,
        errorRate: w.errorRate,
        p50: w.p50LatencyMs,
        p95: w.p95LatencyMs,
        p99: w.p99LatencyMs,
        timeouts: w.timeouts,
        lastError: m.totals.lastErrorMessage || m.totals.lastErrorType,
        lastErrorType: m.totals.lastErrorType,
        lastFailureAt: m.totals.lastFailureAt,
        recommendation: issues.length > 0 ? issues[0].recommendation : null,
        issues: issues,
      };
    });
  }

  function compareRows(key, dir) {
    return function (a, b) {
      var x = key === 'status' ? STATUS_RANK[a.status] : a[key];
      var y = key === 'status' ? STATUS_RANK[b.status] : b[key];
      // Blanks go last whichever way the column is sorted.
      var blankX = x === null || x === undefined || x === '';
      var blankY = y === null || y === undefined || y === '';
      var result;
      if (blankX || blankY) result = blankX === blankY ? 0 : blankX ? 1 : -1;
      else result = dir * (typeof x === 'string' ? x.localeCompare(y) : x - y);
      return result || a.provider.localeCompare(b.provider);
    };
  }

  function issueClass(row, type) {
    var found = row.issues.filter(function (issue) {
      return issue.type === type;
    })[0];
    if (!found) return '';
    return found.severity === 'critical' ? ' bad' : ' warn';
  }

  function cell(row, column, nowMs) {
    var v = row[column.key];
    switch (column.key) {
      case 'provider':
        return h('td', { className: 'name', title: row.provider, text: row.provider });
      case 'status':
        return h('td', null, [h('span', { className: 'badge status-' + row.status, text: row.status })]);
      case 'score': {
        if (v === null) return h('td', { className: 'num muted', text: '–' });
        var fill = h('span', { className: v >= 80 ? '' : v >= 50 ? 'warn' : 'bad' });
        fill.style.width = Math.max(0, Math.min(100, v)) + '%';
        return h('td', { className: 'num' }, [h('span', { className: 'score' }, [h('span', { className: 'bar' }, [fill]), String(v)])]);
      }
      case 'callsPerMinute':
        return h('td', { className: 'num', text: fmtNum(v, v !== null && v < 10 ? 1 : 0) });
      case 'errorRate':
        return h('td', { className: 'num' + issueClass(row, column.issue), text: fmtPct(v) });
      case 'p50':
      case 'p95':
      case 'p99':
        return h('td', { className: 'num' + (column.issue ? issueClass(row, column.issue) : ''), text: fmtMs(v) });
      case 'timeouts':
        return h('td', { className: 'num' + issueClass(row, column.issue), text: fmtNum(v) });
      case 'lastError':
        if (!v) return h('td', { className: 'error muted', text: '–' });
        return h('td', { className: 'error', title: v }, [
          h('span', { className: 'clip', text: v }),
          h('span', { className: 'sub-line', text: (v !== row.lastErrorType && row.lastErrorType ? row.lastErrorType + ' · ' : '') + ago(row.lastFailureAt, nowMs) }),
        ]);
      case 'recommendation':
        if (!v) return h('td', { className: 'advice muted', text: row.status === 'HEALTHY' ? 'Nothing to do' : '–' });
        return h('td', { className: 'advice', title: v }, [h('span', { className: 'clip', text: v })]);
      default:
        return h('td', { text: v === null || v === undefined ? '–' : String(v) });
    }
  }

  function renderProviders() {
    var snapshot = state.snapshot;
    var tbody = $('provider-rows');
    document.querySelectorAll('#provider-head th').forEach(function (th) {
      var key = th.getAttribute('data-key');
      if (key === state.sort.key) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    clear(tbody);
    var rows = snapshot ? providerRows(snapshot) : [];
    $('provider-count').textContent = String(rows.length);
    if (rows.length === 0) {
      var text = snapshot
        ? 'No provider has reported yet. Calls recorded by the app, or sent to POST /api/monitoring/calls, show up here within seconds.'
        : 'Waiting for the first update…';
      tbody.appendChild(h('tr', null, [h('td', { className: 'empty', colspan: COLUMNS.length, text: text })]));
      return;
    }
    rows.sort(compareRows(state.sort.key, state.sort.dir));
    var nowMs = Date.parse(snapshot.at);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      fragment.appendChild(
        h(
          'tr',
          { 'data-provider': row.provider, 'data-status': row.status },
          COLUMNS.map(function (column) {
            return cell(row, column, nowMs);
          }),
        ),
      );
    });
    tbody.appendChild(fragment);
  }

  // ---- alerts ----
  function renderAlerts(alerts) {
    var list = $('alerts');
    clear(list);
    var count = $('alert-count');
    count.textContent = String(alerts.length);
    count.className = alerts.length > 0 ? 'pill hot' : 'pill';
    if (alerts.length === 0) {
      list.appendChild(h('li', { className: 'empty', text: 'No active alerts.' }));
      return;
    }
    var nowMs = state.snapshot ? Date.parse(state.snapshot.at) : Date.now();
    alerts.forEach(function (alert) {
      var item = h('li', { className: 'alert sev-' + alert.severity, 'data-alert': alert.id, title: 'Click to show or hide the whole message' }, [
          h('div', { className: 'alert-head' }, [
            h('span', { className: 'badge sev-' + alert.severity, text: alert.severity.toUpperCase() }),
            h('strong', { text: alert.rule }),
            h('span', { className: 'muted', text: alert.subject }),
            h('span', { className: 'since', title: alert.startedAt, text: 'firing for ' + fmtDuration((nowMs - Date.parse(alert.startedAt)) / 1000) }),
          ]),
        h('p', { text: alert.message }),
      ]);
      // Long messages are clipped on small screens; a tap shows all of it.
      item.addEventListener('click', function () {
        item.classList.toggle('expanded');
      });
      list.appendChild(item);
    });
  }

  function loadAlerts() {
    fetchJson('/api/monitoring/alerts?state=firing')
      .then(function (listing) {
        // The stream's snapshot is newer: only fill the list while none has arrived.
        if (listing && !state.snapshot) renderAlerts(listing.active);
      })
      .catch(function () {
        /* the stream brings the alerts as well */
      });
  }

  // ---- charts ----
  function colorOf(name) {
    if (!state.colors[name]) {
      state.colors[name] = PALETTE[Object.keys(state.colors).length % PALETTE.length];
    }
    return state.colors[name];
  }

  // The busiest providers: those an operator looks at first.
  function chartProviders() {
    if (!state.snapshot) return [];
    return state.snapshot.providers
      .slice()
      .sort(function (a, b) {
        return b.window.calls - a.window.calls || a.provider.localeCompare(b.provider);
      })
      .slice(0, MAX_CHART_PROVIDERS)
      .map(function (m) {
        return m.provider;
      })
      .sort();
  }

  function cacheLevels() {
    return state.snapshot ? Object.keys(state.snapshot.cache).sort() : [];
  }

  function recordLive(snapshot) {
    var t = Date.parse(snapshot.at);
    var providers = {};
    snapshot.providers.forEach(function (m) {
      providers[m.provider] = {
        p95: m.window.p95LatencyMs,
        errors: m.window.errorRate === null ? null : m.window.errorRate * 100,
        calls: m.window.callsPerMinute,
      };
    });
    // The hit rate between two snapshots, so the line moves with the cache rather than its whole past.
    var cache = {};
    Object.keys(snapshot.cache).forEach(function (level) {
      var now = snapshot.cache[level];
      var before = state.lastCache ? state.lastCache[level] : null;
      var rate = now.hitRate;
      if (before && now.hits >= before.hits && now.misses >= before.misses) {
        var lookups = now.hits - before.hits + (now.misses - before.misses);
        rate = lookups > 0 ? (now.hits - before.hits) / lookups : null;
      }
      cache[level] = rate === null ? null : rate * 100;
    });
    state.lastCache = snapshot.cache;
    var sample = { t: t, providers: providers, cache: cache };
    var last = state.live[state.live.length - 1];
    if (last && t <= last.t) state.live[state.live.length - 1] = sample;
    else state.live.push(sample);
    while (state.live.length > 0 && state.live[0].t < t - LIVE_KEEP_MS) state.live.shift();
  }

  function refreshHistory() {
    clearTimeout(state.historyTimer);
    var range = RANGES[state.range];
    if (!config.historyApi) {
      state.history = null;
      state.historyNote = 'History is not available on this server: the charts show live samples taken since this page opened.';
      renderCharts();
      return;
    }
    var token = ++state.historyToken;
    var to = new Date();
    var from = new Date(to.getTime() - range.ms);
    var span = 'from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString()) + '&resolution=' + range.resolution;
    var providers = chartProviders();
    var levels = cacheLevels();
    var requests = providers
      .map(function (name) {
        return fetchJson('/api/monitoring/history?provider=' + encodeURIComponent(name) + '&' + span);
      })
      .concat(
        levels.map(function (level) {
          return fetchJson('/api/monitoring/history/cache?level=' + encodeURIComponent(level) + '&' + span);
        }),
      );
    var failed = false;
    Promise.all(requests)
      .then(function (answers) {
        if (token !== state.historyToken) return;
        var history = { range: state.range, bucketMinutes: range.bucketMinutes, providers: {}, levels: {}, withData: { providers: 0, levels: 0 } };
        answers.forEach(function (answer, i) {
          var points = answer && Array.isArray(answer.points) ? answer.points : [];
          // Empty buckets come back too: only buckets with calls or lookups count as history.
          if (i < providers.length) {
            history.providers[providers[i]] = points;
            history.withData.providers += points.filter(function (p) {
              return p.calls > 0;
            }).length;
          } else {
            history.levels[levels[i - providers.length]] = points;
            history.withData.levels += points.filter(function (p) {
              return p.hits + p.misses > 0;
            }).length;
          }
        });
        state.history = history;
        state.historyNote =
          history.withData.providers + history.withData.levels > 0
            ? 'From the history API, per ' + range.resolution + '.'
            : 'No history recorded for this range yet: showing live samples taken since this page opened.';
        renderCharts();
      })
      .catch(function (error) {
        if (token !== state.historyToken || error instanceof AuthError) return;
        failed = true;
        state.history = null;
        state.historyNote = 'History could not be read (' + error.message + '): showing live samples taken since this page opened.';
        renderCharts();
      })
      .then(function () {
        // History that is turned off or broken is asked again rarely, not on every refresh.
        if (token === state.historyToken) state.historyTimer = setTimeout(refreshHistory, failed ? HISTORY_RETRY_MS : range.refreshMs);
      });
  }

  // Lines on one shared time axis (seconds, as uPlot wants), with null where a series has no value.
  function align(seriesNames, pointsOf) {
    var byTime = {};
    seriesNames.forEach(function (name, index) {
      pointsOf(name).forEach(function (point) {
        var row = byTime[point.t] || (byTime[point.t] = new Array(seriesNames.length).fill(null));
        row[index] = point.v;
      });
    });
    var times = Object.keys(byTime)
      .map(Number)
      .sort(function (a, b) {
        return a - b;
      });
    var data = [
      times.map(function (t) {
        return t / 1000;
      }),
    ];
    seriesNames.forEach(function (name, index) {
      data.push(
        times.map(function (t) {
          return byTime[t][index];
        }),
      );
    });
    return data;
  }

  function liveSeries(names, pick) {
    var since = Date.now() - RANGES[state.range].ms;
    var samples = state.live.filter(function (s) {
      return s.t >= since;
    });
    return align(names, function (name) {
      return samples
        .filter(function (s) {
          return pick(s, name) !== undefined;
        })
        .map(function (s) {
          return { t: s.t, v: pick(s, name) };
        });
    });
  }

  // skipOpen: leave out the bucket still filling up, whose count would look like a sudden drop.
  function historySeries(names, group, value, skipOpen) {
    var openSince = Date.now() - state.history.bucketMinutes * 60e3;
    return align(names, function (name) {
      return (state.history[group][name] || [])
        .map(function (p) {
          return { t: Date.parse(p.t), v: value(p) };
        })
        .filter(function (p) {
          return !skipOpen || p.t <= openSince;
        });
    });
  }

  function hasPoints(group) {
    return Boolean(state.history && state.history.range === state.range && state.history.withData[group] > 0);
  }

  function round(v, digits) {
    return v === null || v === undefined ? null : Number(v.toFixed(digits));
  }

  // One entry per chart: where its values come from in a history point and in a live sample.
  var CHARTS = [
    {
      id: 'chart-p95',
      group: 'providers',
      percent: false,
      fromHistory: function (p) {
        return round(p.p95LatencyMs, 1);
      },
      fromLive: function (sample) {
        return round(sample.p95, 1);
      },
      legend: fmtMs,
      axis: function (v) {
        return v + ' ms';
      },
    },
    {
      id: 'chart-errors',
      group: 'providers',
      percent: true,
      fromHistory: function (p) {
        return p.errorRate === null ? null : round(p.errorRate * 100, 2);
      },
      fromLive: function (sample) {
        return round(sample.errors, 2);
      },
      legend: function (v) {
        return v === null ? '–' : v.toFixed(1) + ' %';
      },
    },
    {
      id: 'chart-calls',
      group: 'providers',
      percent: false,
      skipOpenBucket: true,
      fromHistory: function (p, bucketMinutes) {
        return round(p.calls / bucketMinutes, 2);
      },
      fromLive: function (sample) {
        return round(sample.calls, 2);
      },
      legend: function (v) {
        return v === null ? '–' : v.toFixed(v < 10 ? 1 : 0) + '/min';
      },
      axis: function (v) {
        return String(v);
      },
    },
    {
      id: 'chart-cache',
      group: 'levels',
      percent: true,
      fromHistory: function (p) {
        return p.hitRate === null ? null : round(p.hitRate * 100, 1);
      },
      fromLive: function (value) {
        return round(value, 1);
      },
      legend: function (v) {
        return v === null ? '–' : v.toFixed(0) + ' %';
      },
    },
  ];

  function renderCharts() {
    $('history-note').textContent = state.historyNote;
    var names = { providers: chartProviders(), levels: cacheLevels() };
    CHARTS.forEach(function (chart) {
      var series = names[chart.group];
      var fromHistory = hasPoints(chart.group);
      var data = fromHistory
        ? historySeries(series, chart.group, function (p) {
            return chart.fromHistory(p, state.history.bucketMinutes);
          }, chart.skipOpenBucket)
        : liveSeries(series, function (sample, name) {
            var source = chart.group === 'providers' ? sample.providers : sample.cache;
            return name in source ? chart.fromLive(source[name]) : undefined;
          });
      drawChart(chart, series, data, fromHistory);
    });
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function chartSize(figure) {
    var width = Math.max(220, figure.clientWidth - 20);
    return { width: width, height: window.innerWidth < 600 ? 180 : 220 };
  }

  function drawChart(chart, names, data, fromHistory) {
    var id = chart.id;
    var figure = $(id);
    var points = data[0].length;
    figure.setAttribute('data-series', String(names.length));
    figure.setAttribute('data-points', String(names.length === 0 ? 0 : points));
    figure.setAttribute('data-source', fromHistory ? 'history' : 'live');
    // History draws gaps where a bucket had no calls; live samples are joined: rebuild when the source changes.
    var signature = (fromHistory ? 'history\u0000' : 'live\u0000') + names.join('\u0000');
    var existing = state.charts[id];
    if (names.length === 0 || points === 0) {
      if (existing) existing.plot.destroy();
      delete state.charts[id];
      return;
    }
    if (existing && existing.signature === signature) {
      existing.plot.setData(data);
      return;
    }
    if (existing) existing.plot.destroy();
    var muted = cssVar('--muted');
    var grid = cssVar('--grid');
    var size = chartSize(figure);
    var axisValues = function (u, values) {
      return values.map(chart.axis || function (v) {
        return v + ' %';
      });
    };
    // Wide enough for the longest label ("2000 ms"), so none is cut off on the left.
    var axisWidth = function (u, values) {
      var longest = (values || []).reduce(function (n, v) {
        return Math.max(n, String(v).length);
      }, 4);
      return 18 + longest * 7;
    };
    var options = {
      width: size.width,
      height: size.height,
      cursor: { drag: { x: false, y: false } },
      scales: {
        // A single sample has no span: give it one, or uPlot spreads the axis over years.
        x: {
          time: true,
          range: function (u, min, max) {
            return min === max ? [min - 60, max + 60] : [min, max];
          },
        },
        y: {
          range: function (u, min, max) {
            if (chart.percent) return [0, 100];
            return [0, max > 0 ? max * 1.15 : 1];
          },
        },
      },
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: axisWidth, values: axisValues },
      ],
      series: [{}].concat(
        names.map(function (name) {
          return {
            label: name,
            stroke: colorOf(name),
            width: 2,
            spanGaps: !fromHistory,
            points: { size: 5, fill: colorOf(name) },
            value: function (u, v) {
              return chart.legend(v);
            },
          };
        }),
      ),
    };
    var plot = new uPlot(options, data, figure.querySelector('.plot'));
    state.charts[id] = { plot: plot, signature: signature };
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(state.charts).forEach(function (id) {
        state.charts[id].plot.setSize(chartSize($(id)));
      });
    }, 150);
  });

  document.querySelectorAll('#ranges button').forEach(function (button) {
    button.addEventListener('click', function () {
      state.range = button.getAttribute('data-range');
      document.querySelectorAll('#ranges button').forEach(function (other) {
        other.setAttribute('aria-pressed', String(other === button));
      });
      state.historyKey = state.range + '|' + chartProviders().join(',') + '|' + cacheLevels().join(',');
      refreshHistory();
    });
  });

  // ---- start ----
  function start() {
    if (config.keyRequired && !currentKey()) {
      askForKey(null);
      return;
    }
    loadAlerts();
    connect();
  }

  buildHead();
  if (!config.historyApi) state.historyNote = 'History is not available on this server: the charts show live samples taken since this page opened.';
  renderProviders();
  renderAlerts([]);
  renderCharts();
  start();
})();
`;
