/* tradeloop HTML report: draws the page from the JSON in <script id="tl-data">.
 * Libraries (embedded in the same file): uPlot (MIT) for line/area/bar charts, TradingView
 * Lightweight Charts (Apache-2.0) for the price chart with trade markers. The heatmaps and the
 * win/loss panel are drawn on plain canvases. At the end a self-check writes "charts-ok N" (or
 * what failed) into #tl-selfcheck so automated tests can verify the page in a real browser. */
(function () {
  'use strict';
  var problems = [];
  window.addEventListener('error', function (e) { problems.push('error: ' + e.message); });
  var D = JSON.parse(document.getElementById('tl-data').textContent);
  var app = document.getElementById('app');
  var COLORS = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#0891b2', '#64748b'];
  var GOOD = '#16a34a', BAD = '#dc2626', MUTED = '#6b7280';

  function el(tag, attrs, parent) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) {
      if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    if (parent) parent.appendChild(e);
    return e;
  }
  function card(parent, title, note) {
    var c = el('section', { 'class': 'card' }, parent);
    el('h2', { text: title }, c);
    if (note) el('div', { 'class': 'note', text: note }, c);
    return c;
  }
  function chartBox(parent, name, cls) {
    return el('div', { 'class': 'tl-chart' + (cls ? ' ' + cls : ''), 'data-chart': name }, parent);
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return '—';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    return v.toFixed(digits === undefined ? (a >= 100 ? 0 : a >= 1 ? 2 : 3) : digits);
  }
  function metric(key) {
    for (var g = 0; g < D.metrics.length; g++)
      for (var i = 0; i < D.metrics[g].items.length; i++)
        if (D.metrics[g].items[i][0] === key) return D.metrics[g].items[i];
    return null;
  }
  // Axis ticks: "12k", "1.5M", else the shortest exact decimal ("0.25", "-5").
  function tick(v) {
    var a = Math.abs(v);
    if (a >= 1e6) return +(v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
    return String(+v.toFixed(4));
  }
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };

  // ---- header and key figures ---------------------------------------------------------------
  var head = el('header', { 'class': 'tl-head' }, app);
  var left = el('div', {}, head);
  el('h1', { text: D.title }, left);
  var sub = [D.strategy, D.params].filter(function (s) { return s; }).join(' · ');
  if (sub) el('div', { 'class': 'sub', text: sub }, left);
  el('div', { 'class': 'sub', text: D.period }, head);
  var kpis = el('div', { 'class': 'kpis' }, app);
  [['total_return_pct', 'Total return', '%'], ['cagr_pct', 'CAGR', '%'], ['sharpe_ratio', 'Sharpe', ''],
   ['max_drawdown_pct', 'Max drawdown', '%'], ['win_rate_pct', 'Win rate', '%'],
   ['profit_factor', 'Profit factor', ''], ['total_trades', 'Trades', '']].forEach(function (k) {
    var m = metric(k[0]);
    if (!m) return;
    var box = el('div', { 'class': 'kpi' }, kpis);
    el('div', { 'class': 'k', text: k[1] }, box);
    var cls = k[0] === 'total_trades' || m[3] === null ? '' : (k[0] === 'max_drawdown_pct' ? (m[3] < 0 ? 'neg' : '')
      : k[0] === 'win_rate_pct' ? '' : (m[3] > 0 && k[0] !== 'profit_factor') || (k[0] === 'profit_factor' && m[3] >= 1) ? 'pos' : 'neg');
    var shown = m[3] === null ? m[2] : k[0] === 'total_trades' ? m[2] : m[3].toFixed(2) + k[2];
    el('div', { 'class': 'v ' + cls, text: shown }, box);
  });

  var charts = [];  // {box, name, resize(width)}

  // ---- uPlot helpers ------------------------------------------------------------------------
  function linePlot(box, name, height, x, series, opts) {
    opts = opts || {};
    var data = [x].concat(series.map(function (s) { return s.y; }));
    var width = Math.max(200, box.clientWidth);
    var u = new uPlot({
      width: width, height: height,
      tzDate: utc,
      scales: { x: opts.xRange ? { time: false, range: function () { return opts.xRange; } } : { time: opts.time !== false } },
      legend: { show: opts.legend !== false },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: opts.xLabel || 'Time' }].concat(series.map(function (s, i) {
        return { label: s.name, stroke: s.color || COLORS[i % COLORS.length], width: s.width || 1.5,
                 fill: s.fill, fillTo: s.fillTo, dash: s.dash, paths: s.paths, points: { show: false },
                 value: function (u, v) { return fmt(v); } };
      })),
      axes: [{ label: opts.time === false ? opts.xLabel : undefined, stroke: MUTED, grid: { stroke: '#eef0f3' } },
             { label: opts.yLabel, stroke: MUTED, grid: { stroke: '#eef0f3' }, size: 64,
               values: function (u, vals) { return vals.map(tick); } }]
    }, data, box);
    charts.push({ box: box, name: name, resize: function (w) { u.setSize({ width: w, height: height }); } });
    return u;
  }

  // ---- canvas helpers -----------------------------------------------------------------------
  function canvasIn(box, name, height, draw) {
    var c = el('canvas', { 'class': 'tl-canvas' }, box);
    function paint(w) {
      var dpr = window.devicePixelRatio || 1;
      var h = typeof height === 'function' ? height(w) : height;
      c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      c.style.height = h + 'px';
      var g = c.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      g.font = '12px system-ui, "DejaVu Sans", sans-serif';
      draw(g, w, h);
    }
    paint(Math.max(200, box.clientWidth));
    charts.push({ box: box, name: name, resize: paint });
  }
  // Diverging colour: red below `center`, green above, white at it; t in [-1, 1].
  function diverging(t) {
    t = Math.max(-1, Math.min(1, t));
    var a = Math.pow(Math.abs(t), 0.7);
    var c = t >= 0 ? [22, 163, 74] : [220, 38, 38];
    return 'rgb(' + c.map(function (x) { return Math.round(255 + (x - 255) * a); }).join(',') + ')';
  }
  function drawHeatmap(g, w, h, hm) {
    var rows = hm.y_labels.length, cols = hm.x_labels.length;
    var left = 64, top = 22, right = 8, bottom = hm.x_label ? 22 : 4;
    var cw = (w - left - right) / cols, ch = (h - top - bottom) / rows;
    var maxAbs = 0;
    hm.values.forEach(function (v) { if (v !== null) maxAbs = Math.max(maxAbs, Math.abs(v - hm.center)); });
    g.textAlign = 'center'; g.textBaseline = 'middle';
    for (var r = 0; r < rows; r++) {
      for (var k = 0; k < cols; k++) {
        var v = hm.values[r * cols + k];
        var x = left + k * cw, y = top + r * ch;
        if (v === null) { g.fillStyle = '#f3f4f6'; g.fillRect(x + 1, y + 1, cw - 2, ch - 2); continue; }
        var t = maxAbs > 0 ? (v - hm.center) / maxAbs : 0;
        g.fillStyle = diverging(hm.higher_is_better ? t : -t);
        g.fillRect(x + 1, y + 1, cw - 2, ch - 2);
        var label = hm.format ? hm.format(v) : fmt(v);
        if (ch > 13 && g.measureText(label).width < cw - 4) {
          g.fillStyle = Math.abs(t) > 0.65 ? '#fff' : '#111827';
          g.fillText(label, x + cw / 2, y + ch / 2);
        }
      }
    }
    g.fillStyle = MUTED;
    for (var k2 = 0; k2 < cols; k2++) {
      if (cw < 18 && k2 % Math.ceil(18 / cw) !== 0) continue;
      g.fillText(hm.x_labels[k2], left + (k2 + 0.5) * cw, top / 2);
    }
    g.textAlign = 'right';
    for (var r2 = 0; r2 < rows; r2++) {
      if (ch < 12 && r2 % Math.ceil(12 / ch) !== 0) continue;
      g.fillText(hm.y_labels[r2], left - 6, top + (r2 + 0.5) * ch);
    }
    if (hm.x_label) { g.textAlign = 'center'; g.fillText(hm.x_label, left + (w - left - right) / 2, h - 9); }
  }

  // ---- price chart with trade markers (Lightweight Charts) ----------------------------------
  if (D.price) {
    var pnote = D.price.merged ? 'Bars merged into ' + D.price.candles.length + ' candles for drawing. ' : '';
    pnote += D.price.markers_omitted ? 'Trade markers omitted: ' + D.trades.total + ' trades are too many to mark on ' + D.price.candles.length + ' candles.'
           : D.price.merged ? 'Markers sit on the candle that holds the fill.' : '';
    var pc = card(app, 'Price · ' + D.price.symbol + (D.price.markers_omitted ? '' : ' with trades'), pnote);
    var pbox = chartBox(pc, 'price', 'price-chart');
    var chart = LightweightCharts.createChart(pbox, {
      width: Math.max(200, pbox.clientWidth), height: 400,
      layout: { background: { color: '#ffffff' }, textColor: '#374151', attributionLogo: true },
      grid: { vertLines: { color: '#f1f3f5' }, horzLines: { color: '#f1f3f5' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#e5e7eb' },
      rightPriceScale: { borderColor: '#e5e7eb', scaleMargins: { top: 0.06, bottom: 0.06 } }
    });
    var cs = chart.addSeries(LightweightCharts.CandlestickSeries, {
      upColor: '#16a34a', downColor: '#dc2626', borderVisible: false, wickUpColor: '#16a34a', wickDownColor: '#dc2626'
    });
    cs.setData(D.price.candles.map(function (c) { return { time: c[0], open: c[1], high: c[2], low: c[3], close: c[4] }; }));
    LightweightCharts.createSeriesMarkers(cs, D.price.markers.map(function (m) {
      // [time, entry, long, win, price]
      if (m[1]) return { time: m[0], position: m[2] ? 'belowBar' : 'aboveBar', color: m[2] ? '#2563eb' : '#9333ea',
                         shape: m[2] ? 'arrowUp' : 'arrowDown', text: m[2] ? 'L' : 'S' };
      return { time: m[0], position: m[2] ? 'aboveBar' : 'belowBar', color: m[3] ? GOOD : BAD, shape: 'circle', text: '' };
    }));
    chart.timeScale().fitContent();
    charts.push({ box: pbox, name: 'price', resize: function (w) { chart.applyOptions({ width: w }); } });
  }

  // ---- the six panels -----------------------------------------------------------------------
  var row1 = el('div', { 'class': 'grid2' }, app);
  var eqCard = card(row1, 'Equity curve' + (D.equity.benchmark ? ' vs ' + D.equity.benchmark_name : ''),
                    D.equity.benchmark ? 'Benchmark rebased to the starting equity.' : '');
  var eqSeries = [{ name: 'Equity', y: D.equity.equity, color: '#2563eb', fill: 'rgba(37,99,235,0.07)', width: 1.6 }];
  if (D.equity.benchmark) eqSeries.push({ name: D.equity.benchmark_name, y: D.equity.benchmark, color: '#9ca3af', dash: [6, 4], width: 1.3 });
  linePlot(chartBox(eqCard, 'equity'), 'equity', 280, D.equity.x, eqSeries, { yLabel: 'Equity' });

  var ddCard = card(row1, 'Drawdown (underwater)', 'Equity below its running peak, in percent.');
  linePlot(chartBox(ddCard, 'underwater'), 'underwater', 280, D.underwater.x,
           [{ name: 'Drawdown %', y: D.underwater.y, color: BAD, fill: 'rgba(220,38,38,0.18)', fillTo: 0, width: 1.2 }],
           { yLabel: 'Drawdown (%)' });

  var row2 = el('div', { 'class': 'grid2' }, app);
  var mCard = card(row2, 'Monthly returns (%)', 'Compounded per calendar month (UTC); last column = the year.');
  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year'];
  var flat = [];
  D.monthly.values.forEach(function (r) { flat = flat.concat(r); });
  var monthlyHm = { x_labels: months, y_labels: D.monthly.years.map(String), values: flat, center: 0,
                    higher_is_better: true, format: function (v) { return v.toFixed(1); } };
  canvasIn(chartBox(mCard, 'monthly'), 'monthly', function () { return Math.min(520, Math.max(120, 30 + 22 * D.monthly.years.length)); },
           function (g, w, h) { drawHeatmap(g, w, h, monthlyHm); });

  var hCard = card(row2, 'Trade P&L distribution', D.pnl_histogram.centers.length ? 'Closed trades per P&L bin (bin width ' + fmt(D.pnl_histogram.width) + ').' : 'No closed trades.');
  var hbox = chartBox(hCard, 'pnl_histogram');
  if (D.pnl_histogram.centers.length) {
    var bars = uPlot.paths.bars({ size: [0.92, Infinity], align: 0 });
    linePlot(hbox, 'pnl_histogram', 280, D.pnl_histogram.centers, [
      { name: 'Losing', y: D.pnl_histogram.centers.map(function (c, i) { return c < 0 ? D.pnl_histogram.counts[i] : null; }),
        color: BAD, fill: 'rgba(220,38,38,0.75)', paths: bars, width: 0 },
      { name: 'Winning', y: D.pnl_histogram.centers.map(function (c, i) { return c >= 0 ? D.pnl_histogram.counts[i] : null; }),
        color: GOOD, fill: 'rgba(22,163,74,0.75)', paths: bars, width: 0 }
    ], { time: false, xLabel: 'P&L per trade', yLabel: 'Trades',
         xRange: [D.pnl_histogram.centers[0] - D.pnl_histogram.width / 2,
                  D.pnl_histogram.centers[D.pnl_histogram.centers.length - 1] + D.pnl_histogram.width / 2] });
  } else {
    canvasIn(hbox, 'pnl_histogram', 280, function (g, w, h) { g.fillStyle = MUTED; g.textAlign = 'center'; g.fillText('No closed trades', w / 2, h / 2); });
  }

  var row3 = el('div', { 'class': 'grid2' }, app);
  var rCard = card(row3, 'Rolling Sharpe ratio', 'Annualised, over ' + D.rolling_sharpe.window + ' bars.');
  var rbox = chartBox(rCard, 'rolling_sharpe');
  if (D.rolling_sharpe.x.length) {
    linePlot(rbox, 'rolling_sharpe', 280, D.rolling_sharpe.x, [
      { name: 'Sharpe', y: D.rolling_sharpe.y, color: '#7c3aed', width: 1.4 },
      { name: 'Zero', y: D.rolling_sharpe.x.map(function () { return 0; }), color: '#9ca3af', dash: [4, 4], width: 1 }
    ], { yLabel: 'Sharpe' });
  } else {
    canvasIn(rbox, 'rolling_sharpe', 280, function (g, w, h) { g.fillStyle = MUTED; g.textAlign = 'center'; g.fillText('Too few bars for the rolling window', w / 2, h / 2); });
  }

  var wCard = card(row3, 'Win / loss analysis');
  var W = D.win_loss;
  canvasIn(chartBox(wCard, 'win_loss'), 'win_loss', 280, function (g, w, h) {
    // Left: donut of wins / losses / breakeven. Right: paired bars (count, average, largest).
    var total = W.wins + W.losses + W.breakeven;
    var cx = Math.min(w * 0.2, 130), cy = h / 2, R = Math.min(cx - 16, h / 2 - 30), r0 = R * 0.62;
    var parts = [[W.wins, GOOD], [W.losses, BAD], [W.breakeven, '#9ca3af']];
    var a = -Math.PI / 2;
    if (total === 0) parts = [[1, '#e5e7eb']];
    var sum = parts.reduce(function (s, p) { return s + p[0]; }, 0);
    parts.forEach(function (p) {
      if (!p[0]) return;
      var b = a + 2 * Math.PI * p[0] / sum;
      g.beginPath(); g.moveTo(cx + r0 * Math.cos(a), cy + r0 * Math.sin(a));
      g.arc(cx, cy, R, a, b); g.arc(cx, cy, r0, b, a, true); g.closePath();
      g.fillStyle = p[1]; g.fill(); a = b;
    });
    g.fillStyle = '#111827'; g.textAlign = 'center'; g.textBaseline = 'middle';
    g.font = '600 20px system-ui, "DejaVu Sans", sans-serif';
    g.fillText(total ? (100 * W.wins / total).toFixed(1) + '%' : '—', cx, cy - 6);
    g.font = '12px system-ui, "DejaVu Sans", sans-serif'; g.fillStyle = MUTED;
    g.fillText('win rate', cx, cy + 14);
    g.fillText(W.wins + ' won · ' + W.losses + ' lost' + (W.breakeven ? ' · ' + W.breakeven + ' even' : ''), cx, h - 12);
    var groups = [['Trades', W.wins, W.losses, 0], ['Average P&L', W.avg_win, Math.abs(W.avg_loss || 0), 2],
                  ['Largest P&L', W.largest_win, Math.abs(W.largest_loss || 0), 2], ['Gross P&L', W.gross_profit, Math.abs(W.gross_loss || 0), 2]];
    var x0 = cx + R + 40, bw = w - x0 - 70, gh = (h - 20) / groups.length;
    g.textBaseline = 'middle';
    groups.forEach(function (gr, i) {
      var y = 14 + i * gh, m = Math.max(gr[1] || 0, gr[2] || 0) || 1;
      g.textAlign = 'left'; g.fillStyle = '#374151'; g.font = '600 12px system-ui, "DejaVu Sans", sans-serif';
      g.fillText(gr[0], x0, y + 4);
      g.font = '12px system-ui, "DejaVu Sans", sans-serif';
      [[gr[1], GOOD, 'win'], [gr[2], BAD, 'loss']].forEach(function (b, j) {
        var yy = y + 14 + j * 14, len = Math.max(1, bw * (b[0] || 0) / m);
        g.fillStyle = b[1]; g.fillRect(x0, yy, len, 11);
        g.fillStyle = '#374151'; g.textAlign = 'left';
        // Losses are money below zero; the trade count is a count.
        g.fillText((j && gr[3] !== 0 && b[0] ? '−' : '') + fmt(b[0] || 0, gr[3] === 0 ? 0 : undefined), x0 + len + 6, yy + 6);
      });
    });
  });

  // ---- extra sections (optimiser heatmap, walk-forward, ...) --------------------------------
  D.sections.forEach(function (s, i) {
    var c = card(app, s.title, s.note);
    var name = 'section-' + i;
    if (s.type === 'line') {
      linePlot(chartBox(c, name), name, 300, s.x, s.series.map(function (ls) { return { name: ls.name, y: ls.y, color: ls.color || undefined }; }),
               { time: s.x_is_time, xLabel: s.x_label, yLabel: s.y_label });
    } else if (s.type === 'heatmap') {
      canvasIn(chartBox(c, name), name, function () { return Math.min(640, 40 + 26 * s.y_labels.length); },
               function (g, w, h) { drawHeatmap(g, w, h, s); });
      if (s.value_label || s.y_label) el('div', { 'class': 'note', text: (s.y_label ? 'Rows: ' + s.y_label + '. ' : '') + (s.value_label ? 'Cells: ' + s.value_label + '.' : '') }, c);
    } else {
      tableIn(c, s.header, s.rows, '');
    }
  });

  // ---- tables -----------------------------------------------------------------------------
  // A table drawn one page of `PAGE` rows at a time: laying out thousands of rows at once is what
  // made large reports slow to open.
  var PAGE = 100;
  function tableIn(parent, header, rows, cls, pnlCol) {
    var nav = rows.length > PAGE ? el('div', { 'class': 'pager' }, parent) : null;
    var box = el('div', { 'class': 'scroll' }, parent);
    var t = el('table', { 'class': cls }, box);
    var tr = el('tr', {}, el('thead', {}, t));
    header.forEach(function (h) { el('th', { text: h }, tr); });
    var body = el('tbody', {}, t);
    function cell(v, j) {
      var s = String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
      var money = j === pnlCol || j === pnlCol + 1;
      var k = money && s.charAt(0) === '-' ? ' class="neg"' : money && s !== '0' && s !== '0.00' ? ' class="pos"' : '';
      return '<td' + k + '>' + s + '</td>';
    }
    function show(page) {
      var from = page * PAGE, to = Math.min(rows.length, from + PAGE);
      body.innerHTML = rows.slice(from, to).map(function (r) { return '<tr>' + r.map(cell).join('') + '</tr>'; }).join('');
      if (!nav) return;
      nav.innerHTML = '';
      var prev = el('button', { text: '‹ Prev' }, nav), next;
      el('span', { text: ' rows ' + (from + 1) + '–' + to + ' of ' + rows.length + ' ' }, nav);
      next = el('button', { text: 'Next ›' }, nav);
      prev.disabled = page === 0;
      next.disabled = to >= rows.length;
      prev.onclick = function () { show(page - 1); };
      next.onclick = function () { show(page + 1); };
    }
    show(0);
    return t;
  }

  var mc = card(app, 'Metrics', 'Conventions and formulas: docs/metrics.md. Percentages end in (%); ∞ = no losing side.');
  var mg = el('div', { 'class': 'metrics' }, mc);
  D.metrics.forEach(function (grp) {
    var box = el('div', {}, mg);
    el('h3', { text: grp.name }, box);
    var t = el('table', {}, box);
    grp.items.forEach(function (it) {
      var tr = el('tr', { title: it[0] }, t);
      el('td', { text: it[1] }, tr);
      el('td', { text: it[2] }, tr);
    });
  });
  var tc = card(app, 'Trades (' + D.trades.total + ')', D.trades.note || '');
  if (D.trades.rows.length) {
    tableIn(tc, ['#', 'Side', 'Entry (UTC)', 'Exit (UTC)', 'Entry price', 'Exit price', 'Qty',
            'P&L', 'Return %', 'Bars', 'Exit reason'], D.trades.rows, 'trades', 7);
  } else {
    el('div', { 'class': 'note', text: 'No trades.' }, tc);
  }
  var foot = el('footer', {}, app);
  foot.innerHTML = 'Generated by tradeloop. Charts: <a href="https://github.com/leeoniya/uPlot">uPlot</a> (MIT) and ' +
    'TradingView Lightweight Charts™ — Copyright (c) 2026 TradingView, Inc., Apache License 2.0, ' +
    '<a href="https://www.tradingview.com/">https://www.tradingview.com/</a>.';

  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(Math.max(200, c.box.clientWidth)); });
  });

  // ---- self-check: every chart drew something -----------------------------------------------
  function drawn(box) {
    var cs = box.querySelectorAll('canvas');
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (!c.width || !c.height) continue;
      var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (var p = 4; p < px.length; p += 4 * 7)
        if (px[p] !== px[0] || px[p + 1] !== px[1] || px[p + 2] !== px[2] || px[p + 3] !== px[3]) return true;
    }
    return false;
  }
  function selfCheck() {
    var blank = charts.filter(function (c) { return !drawn(c.box); }).map(function (c) { return c.name; });
    var out = problems.slice();
    out.push(blank.length ? 'charts-blank ' + blank.join(',') : 'charts-ok ' + charts.length);
    document.getElementById('tl-selfcheck').textContent = out.join('\n');
  }
  requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(selfCheck, 200); }); });
})();
