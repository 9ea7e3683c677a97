// The dashboard page: polls /api/status every second and draws, per resource, its numbers and a few
// minutes of history. Everything is fleet-wide: the status is the coordinator's, not one JVM's.
(function () {
  'use strict';
  var POLL_MS = 1000;
  var HISTORY = 300; // samples: five minutes at one a second
  var views = {};    // resource name -> { root, numbers, charts, history }
  var main = document.getElementById('resources');

  function fmt(n, digits) {
    if (n === null || n === undefined || isNaN(n)) return '–';
    var d = digits === undefined ? (Math.abs(n) >= 100 ? 0 : 1) : digits;
    return Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }

  function pct(x) { return x === null || x === undefined ? '–' : fmt(100 * x, 1) + ' %'; }

  function duration(ms) {
    if (!ms) return 'no';
    if (ms < 1000) return ms + ' ms';
    var s = Math.round(ms / 1000);
    if (s < 120) return s + ' s';
    var m = Math.round(s / 60);
    return m < 120 ? m + ' min' : Math.round(m / 60) + ' h';
  }

  // label, how a reading shows it
  var NUMBERS = [
    ['grantedPerSecond', 'granted / s', function (r) { return fmt(r.grantedPerSecond); }],
    ['requestsLimit', 'requests limit / s', function (r) { return r.limits.requestsPerSecond ? fmt(r.limits.requestsPerSecond * r.rateFactor) : 'none'; }],
    ['loadPerSecond', 'load / s', function (r) { return fmt(r.loadPerSecond); }],
    ['loadLimit', 'load limit / s', function (r) { return r.limits.loadPerSecond ? fmt(r.limits.loadPerSecond * r.rateFactor) : 'none'; }],
    ['utilization', 'utilization', function (r) { return pct(r.utilization); }],
    ['inFlight', 'in flight', function (r) { return r.limits.concurrency ? fmt(r.inFlight, 0) + ' / ' + r.limits.concurrency : 'no limit'; }],
    ['queueDepth', 'waiting', function (r) { return fmt(r.queueDepth, 0); }],
    ['waitP50Millis', 'wait p50', function (r) { return r.waitP50Millis == null ? '–' : fmt(r.waitP50Millis) + ' ms'; }],
    ['waitP99Millis', 'wait p99', function (r) { return r.waitP99Millis == null ? '–' : fmt(r.waitP99Millis) + ' ms'; }],
    ['upstreamRefusals', '429s', function (r) { return fmt(r.upstreamRefusals, 0); }],
    ['pauses', 'pauses', function (r) { return fmt(r.pauses, 0); }],
    ['pausedFor', 'paused', function (r) { return duration(r.pausedForMillis); }],
    ['liveClients', 'live clients', function (r) { return fmt(r.liveClients, 0); }]
  ];

  // title, series (label, colour, value of a reading)
  var CHARTS = [
    ['Throughput: granted / s against the limit', [
      ['granted / s', '#2563eb', function (r) { return r.grantedPerSecond; }],
      ['limit / s', '#9ca3af', function (r) { return r.limits.requestsPerSecond ? r.limits.requestsPerSecond * r.rateFactor : null; }]]],
    ['Load / s against the load limit', [
      ['load / s', '#7c3aed', function (r) { return r.loadPerSecond; }],
      ['load limit / s', '#9ca3af', function (r) { return r.limits.loadPerSecond ? r.limits.loadPerSecond * r.rateFactor : null; }]]],
    ['Utilization (%)', [
      ['utilization %', '#059669', function (r) { return 100 * r.utilization; }]]],
    ['In flight against concurrency', [
      ['in flight', '#d97706', function (r) { return r.inFlight; }],
      ['concurrency', '#9ca3af', function (r) { return r.limits.concurrency || null; }]]],
    ['Wait time (ms)', [
      ['p50', '#0891b2', function (r) { return r.waitP50Millis; }],
      ['p99', '#be123c', function (r) { return r.waitP99Millis; }]]],
    ['429s per second, and pauses', [
      ['429s / s', '#b91c1c', function (r) { return r.upstreamRefusalsPerSecond; }],
      ['paused', '#6b7280', function (r) { return r.pausedForMillis > 0 ? 1 : 0; }]]]
  ];
  var QUEUE_COLOURS = ['#1d4ed8', '#15803d', '#a16207', '#9333ea', '#be185d', '#0f766e', '#4b5563'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function chartOptions(title, series, width) {
    return {
      width: width, height: 150,
      legend: { live: false },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      series: [{}].concat(series.map(function (s) { return { label: s[0], stroke: s[1], width: 1.5, spanGaps: false }; }))
    };
  }

  // uPlot draws at a fixed size: the grid cell's, once the box is in the page, and again on resize.
  function chartWidth(box) {
    return Math.max(280, box.clientWidth);
  }

  function fitCharts() {
    Object.keys(views).forEach(function (name) {
      views[name].charts.forEach(function (c) { c.plot.setSize({ width: chartWidth(c.box), height: 150 }); });
    });
  }

  function createView(r) {
    var root = el('section', 'resource');
    root.setAttribute('data-resource', r.name);
    var head = el('div');
    head.appendChild(el('h2', null, r.name));
    var badges = el('span', 'badges');
    head.appendChild(badges);
    root.appendChild(head);
    var numbers = el('div', 'numbers');
    var cells = {};
    NUMBERS.forEach(function (n) {
      var d = el('div');
      d.appendChild(el('span', 'label', n[1]));
      var v = el('span', 'value', '–');
      v.setAttribute('data-field', n[0]);
      d.appendChild(v);
      numbers.appendChild(d);
      cells[n[0]] = v;
    });
    root.appendChild(numbers);
    var chartsBox = el('div', 'charts');
    root.appendChild(chartsBox);
    var empty = document.getElementById('empty');
    if (empty) empty.remove();
    main.appendChild(root);
    var charts = CHARTS.concat([['Waiting, by priority (higher first)', []]]).map(function (c, i) {
      var box = el('div', 'chart');
      box.setAttribute('data-chart', i === CHARTS.length ? 'queue' : String(i));
      box.appendChild(el('h3', null, c[0]));
      chartsBox.appendChild(box);
      var data = [[]].concat(c[1].map(function () { return []; }));
      return { spec: c, box: box, plot: new uPlot(chartOptions(c[0], c[1], chartWidth(box)), data, box), data: data };
    });
    var view = { root: root, badges: badges, cells: cells, charts: charts, queue: charts[charts.length - 1], priorities: [] };
    views[r.name] = view;
    setTimeout(fitCharts, 0); // the page may have grown a scroll bar meanwhile, narrowing every cell
    return view;
  }

  function push(arr, v) {
    arr.push(v);
    if (arr.length > HISTORY) arr.shift();
  }

  function addPriority(view, p) {
    var q = view.queue;
    view.priorities.push(p);
    view.priorities.sort(function (a, b) { return b - a; });
    var series = [{}].concat(view.priorities.map(function (pr, i) {
      return { label: 'priority ' + pr, stroke: QUEUE_COLOURS[i % QUEUE_COLOURS.length], width: 1.5 };
    }));
    var old = q.data;
    var byPriority = {};
    (q.priorities || []).forEach(function (pr, i) { byPriority[pr] = old[i + 1]; });
    q.data = [old[0]].concat(view.priorities.map(function (pr) {
      return byPriority[pr] || old[0].map(function () { return null; });
    }));
    q.priorities = view.priorities.slice();
    q.plot.destroy();
    var opts = chartOptions(q.spec[0], [], chartWidth(q.box));
    opts.series = series;
    q.plot = new uPlot(opts, q.data, q.box);
  }

  function limitsText(l) {
    var parts = [];
    if (l.requests) parts.push('requests ' + l.requests + (l.burst ? ' + ' + l.burst : ''));
    if (l.load) parts.push('load ' + l.load + (l.loadBurst ? ' + ' + l.loadBurst : ''));
    if (l.concurrency) parts.push('concurrency ' + l.concurrency);
    return parts.length ? parts.join(', ') : 'no limits';
  }

  // 429s per second from the fleet's running total; a JVM that leaves takes its share of the total with it.
  function refusalsPerSecond(view, r, t) {
    var rate = 0;
    if (view.lastRefusals !== undefined && t > view.lastAt) {
      rate = Math.max(0, r.upstreamRefusals - view.lastRefusals) * 1000 / (t - view.lastAt);
    }
    view.lastRefusals = r.upstreamRefusals;
    view.lastAt = t;
    return rate;
  }

  function update(view, r, t) {
    r.upstreamRefusalsPerSecond = refusalsPerSecond(view, r, t);
    if (!r.waitCount) { r.waitP50Millis = null; r.waitP99Millis = null; }
    view.badges.textContent = '';
    if (r.pausedForMillis > 0) view.badges.appendChild(el('span', 'badge paused', 'paused ' + duration(r.pausedForMillis)));
    if (r.limits.adaptive) view.badges.appendChild(el('span', 'badge adaptive', 'adaptive × ' + fmt(r.rateFactor, 2)));
    view.badges.appendChild(el('span', 'badge', limitsText(r.limits)));
    NUMBERS.forEach(function (n) { view.cells[n[0]].textContent = n[2](r); });
    view.root.setAttribute('data-taken-at', String(t));
    view.charts.forEach(function (c) {
      if (c === view.queue) return;
      push(c.data[0], t / 1000);
      c.spec[1].forEach(function (s, i) { var v = s[2](r); push(c.data[i + 1], v === undefined ? null : v); });
      c.plot.setData(c.data);
    });
    var depth = r.queueByPriority || {};
    Object.keys(depth).map(Number).forEach(function (p) { if (view.priorities.indexOf(p) < 0) addPriority(view, p); });
    var q = view.queue;
    if (view.priorities.length > 0) {
      push(q.data[0], t / 1000);
      view.priorities.forEach(function (p, i) { push(q.data[i + 1], depth[String(p)] || 0); });
      q.plot.setData(q.data);
    }
  }

  function render(status) {
    document.getElementById('coordinator').textContent = (status.coordinator || '') +
      (status.liveClients !== undefined ? ' · ' + status.liveClients + ' live clients' : '');
    var t = status.takenAt ? Date.parse(status.takenAt) : Date.now();
    document.getElementById('updated').textContent = 'updated ' + new Date(t).toLocaleTimeString();
    document.getElementById('updated').setAttribute('data-taken-at', String(t));
    var problem = document.getElementById('problem');
    problem.hidden = true;
    (status.resources || []).forEach(function (r) { update(views[r.name] || createView(r), r, t); });
  }

  function fail(message) {
    var problem = document.getElementById('problem');
    problem.textContent = message;
    problem.hidden = false;
  }

  function poll() {
    fetch('api/status', { cache: 'no-store' }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
        return body;
      });
    }).then(render, function (e) { fail('status unavailable: ' + e.message); })
      .then(function () { setTimeout(poll, POLL_MS); });
  }


  window.addEventListener('resize', fitCharts);
  poll();
})();
