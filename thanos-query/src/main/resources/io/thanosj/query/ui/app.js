// The query UI: plain JavaScript over the Prometheus HTTP API, no build step. Chart.js draws graphs.
'use strict';

const $ = (id) => document.getElementById(id);
let chart = null;
let activeTab = 'table';

function labelsToString(metric) {
  const name = metric.__name__ || '';
  const rest = Object.keys(metric).filter((k) => k !== '__name__').sort()
    .map((k) => `${k}="${metric[k]}"`).join(', ');
  return rest ? `${name}{${rest}}` : (name || '{}');
}

function parseDuration(s) {
  const m = /^(\d+)(ms|s|m|h|d|w|y)$/.exec((s || '').trim());
  if (!m) return null;
  const mult = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2]];
  return Number(m[1]) * mult;
}

function commonParams() {
  const p = new URLSearchParams();
  p.set('expr', ''); // placeholder to keep order readable
  p.delete('expr');
  p.set('dedup', $('dedup').checked ? 'true' : 'false');
  p.set('partial_response', $('partial').checked ? 'true' : 'false');
  return p;
}

async function callApi(path, params) {
  const resp = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
  });
  let body;
  try {
    body = await resp.json();
  } catch (e) {
    throw new Error(`HTTP ${resp.status}: response is not JSON`);
  }
  if (body.status !== 'success') {
    throw new Error(`${body.errorType || 'error'}: ${body.error || 'HTTP ' + resp.status}`);
  }
  return body;
}

function showWarnings(body) {
  $('warnings').textContent = (body.warnings || []).map((w) => 'Warning: ' + w).join('\n');
}

function endTime() {
  const v = $('end').value.trim();
  if (!v) return Date.now() / 1000;
  const t = Date.parse(v);
  return isNaN(t) ? Number(v) : t / 1000;
}

async function runTable(expr) {
  const p = commonParams();
  p.set('query', expr);
  if ($('end').value.trim()) p.set('time', String(endTime()));
  const started = performance.now();
  const body = await callApi('/api/v1/query', p);
  showWarnings(body);
  const tbody = $('result-table').querySelector('tbody');
  tbody.innerHTML = '';
  const data = body.data;
  const rows = [];
  if (data.resultType === 'vector') {
    for (const s of data.result) rows.push([labelsToString(s.metric), s.value[1]]);
  } else if (data.resultType === 'matrix') {
    for (const s of data.result) rows.push([labelsToString(s.metric), s.values.map((v) => `${v[1]} @${v[0]}`).join('\n')]);
  } else if (data.resultType === 'scalar' || data.resultType === 'string') {
    rows.push(['scalar', data.result[1]]);
  }
  for (const [series, value] of rows) {
    const tr = document.createElement('tr');
    tr.className = 'result-row';
    const a = document.createElement('td');
    a.textContent = series;
    const b = document.createElement('td');
    b.className = 'value';
    b.textContent = value;
    tr.append(a, b);
    tbody.append(tr);
  }
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td colspan="2">Empty query result</td>';
    tbody.append(tr);
  }
  $('status').textContent = `Load time: ${Math.round(performance.now() - started)}ms, result series: ${rows.length}`;
  $('panel-table').dataset.rendered = String(rows.length);
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

async function runGraph(expr) {
  const range = parseDuration($('range').value) || 3600;
  const end = endTime();
  const start = end - range;
  const step = parseDuration($('step').value) || Math.max(Math.ceil(range / 250), 1);
  const p = commonParams();
  p.set('query', expr);
  p.set('start', String(start));
  p.set('end', String(end));
  p.set('step', String(step));
  const started = performance.now();
  const body = await callApi('/api/v1/query_range', p);
  showWarnings(body);
  if (body.data.resultType !== 'matrix') throw new Error('range query did not return a matrix');
  const datasets = body.data.result.map((s, i) => ({
    label: labelsToString(s.metric),
    data: s.values.map((v) => ({ x: v[0], y: Number(v[1]) })),
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    pointRadius: 0,
    borderWidth: 1.5,
    spanGaps: false,
  }));
  if (chart) chart.destroy();
  chart = new Chart($('chart'), {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', min: start, max: end, ticks: { callback: (v) => new Date(v * 1000).toISOString().substring(11, 19) } },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
    },
  });
  $('status').textContent = `Load time: ${Math.round(performance.now() - started)}ms, resolution: ${step}s, result series: ${datasets.length}`;
  $('panel-graph').dataset.rendered = String(datasets.length);
}

async function execute() {
  const expr = $('expr').value.trim();
  $('error').textContent = '';
  $('warnings').textContent = '';
  if (!expr) return;
  const url = new URL(window.location);
  url.searchParams.set('g0.expr', expr);
  url.searchParams.set('g0.tab', activeTab === 'graph' ? '0' : '1');
  url.searchParams.set('g0.range_input', $('range').value);
  history.replaceState(null, '', url);
  try {
    if (activeTab === 'graph') await runGraph(expr); else await runTable(expr);
  } catch (e) {
    $('error').textContent = 'Error executing query: ' + e.message;
  }
}

function selectTab(tab) {
  activeTab = tab;
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.dataset.tab === tab);
  $('panel-table').classList.toggle('hidden', tab !== 'table');
  $('panel-graph').classList.toggle('hidden', tab !== 'graph');
}

async function loadStores() {
  const tbody = $('stores-table').querySelector('tbody');
  try {
    const body = await (await fetch('/api/v1/stores')).json();
    for (const [type, list] of Object.entries(body.data || {})) {
      for (const s of list || []) {
        const tr = document.createElement('tr');
        const cells = [s.name, type, (s.labelSets || []).map(labelsToString).join(' '),
          s.minTime, s.maxTime, s.lastCheck, s.lastError || ''];
        for (const c of cells) {
          const td = document.createElement('td');
          td.textContent = c === undefined ? '' : String(c);
          tr.append(td);
        }
        tbody.append(tr);
      }
    }
  } catch (e) {
    $('page-stores').append('Error loading stores: ' + e.message);
  }
}

async function loadFlags() {
  const tbody = $('flags-table').querySelector('tbody');
  try {
    const body = await (await fetch('/api/v1/status/flags')).json();
    for (const k of Object.keys(body.data || {}).sort()) {
      const tr = document.createElement('tr');
      const a = document.createElement('td');
      a.textContent = k;
      const b = document.createElement('td');
      b.textContent = body.data[k];
      tr.append(a, b);
      tbody.append(tr);
    }
  } catch (e) {
    $('page-flags').append('Error loading flags: ' + e.message);
  }
}

function init() {
  const path = window.location.pathname;
  const page = path.startsWith('/stores') ? 'stores' : path.startsWith('/flags') ? 'flags' : 'graph';
  for (const p of ['graph', 'stores', 'flags']) {
    $('page-' + p).classList.toggle('hidden', p !== page);
    $('nav-' + p).classList.toggle('active', p === page);
  }
  if (page === 'stores') return loadStores();
  if (page === 'flags') return loadFlags();
  for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => { selectTab(t.dataset.tab); execute(); });
  $('query-form').addEventListener('submit', (e) => { e.preventDefault(); execute(); });
  $('expr').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); execute(); }
  });
  const params = new URLSearchParams(window.location.search);
  if (params.get('g0.range_input')) $('range').value = params.get('g0.range_input');
  if (params.get('g0.tab') === '0') selectTab('graph');
  if (params.get('g0.expr')) {
    $('expr').value = params.get('g0.expr');
    execute();
  }
}

init();
