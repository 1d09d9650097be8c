// Small enhancements for server-rendered pages; everything works without them.
//  - canvas[data-chart]: a loss chart (Chart.js, loaded on first use) drawn from the JSON in data-chart and redrawn
//    whenever that attribute changes (the run page re-renders it live).
//  - select[data-autosubmit]: picking an option presses the named button (the submit form's "Use template").
//  - [data-live="ms"] with an id: the page is re-fetched every ms and those elements are swapped for their fresh copies
//    (a canvas keeps its chart and only takes the new data). Polling stops when the fresh page has no data-live left.
//  - form[data-confirm]: asks before posting.
(() => {
  const script = document.currentScript;
  const chartLib = script && script.dataset.chartLib;
  let chartLoading = null;
  const charts = new WeakMap();

  function loadChartJs() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (!chartLoading) {
      chartLoading = new Promise((resolve, reject) => {
        const tag = document.createElement('script');
        tag.src = chartLib;
        tag.onload = () => resolve(window.Chart);
        tag.onerror = () => reject(new Error('Chart.js did not load from ' + chartLib));
        document.head.appendChild(tag);
      });
    }
    return chartLoading;
  }

  function parse(canvas) {
    try { return JSON.parse(canvas.dataset.chart || '{}'); } catch { return {}; }
  }

  function toPoints(series) {
    return (series || []).map(([x, y]) => ({ x, y }));
  }

  async function draw(canvas) {
    const data = parse(canvas);
    const loss = toPoints(data.loss);
    const top1 = toPoints(data.top1);
    const existing = charts.get(canvas);
    if (existing) {
      existing.data.datasets[0].data = loss;
      existing.data.datasets[1].data = top1;
      existing.update('none');
      return;
    }
    if (loss.length === 0 && top1.length === 0) return;
    const Chart = await loadChartJs();
    if (charts.get(canvas)) return draw(canvas);
    const minutes = (v) => {
      const s = Math.round(v);
      return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor(s % 3600 / 60)).padStart(2, '0')}`
        : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}` : `${s}s`;
    };
    charts.set(canvas, new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'Loss', data: loss, yAxisID: 'y', borderColor: '#2563eb', backgroundColor: '#2563eb', borderWidth: 1.5, pointRadius: 0, tension: 0.2 },
          { label: 'Train top-1 %', data: top1, yAxisID: 'top1', borderColor: '#16a34a', backgroundColor: '#16a34a', borderWidth: 1.5, pointRadius: 2, hidden: top1.length === 0 },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'elapsed' }, ticks: { callback: minutes } },
          y: { title: { display: true, text: 'loss' } },
          top1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, display: 'auto', title: { display: true, text: 'train top-1 %' } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    }));
  }

  function scan(root) {
    if (!(root instanceof Element)) return;
    if (root.matches('canvas[data-chart]')) draw(root);
    root.querySelectorAll('canvas[data-chart]').forEach(draw);
  }

  function wireAutosubmit(root) {
    if (!(root instanceof Element)) return;
    root.querySelectorAll('select[data-autosubmit]').forEach((select) => {
      if (select.dataset.wired) return;
      select.dataset.wired = '1';
      select.addEventListener('change', () => document.getElementById(select.dataset.autosubmit)?.click());
    });
  }

  let liveTimer = null;

  function scheduleLive() {
    clearTimeout(liveTimer);
    const live = [...document.querySelectorAll('[data-live][id]')];
    if (live.length === 0) return;
    const ms = Math.max(500, Math.min(...live.map((e) => Number(e.dataset.live) || 1000)));
    liveTimer = setTimeout(refreshLive, ms);
  }

  async function refreshLive() {
    if (document.hidden) { scheduleLive(); return; }
    try {
      const response = await fetch(location.href, { headers: { Accept: 'text/html' }, cache: 'no-store' });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
        for (const old of document.querySelectorAll('[data-live][id]')) {
          const next = fresh.getElementById(old.id);
          if (!next) continue;
          if (old.tagName === 'CANVAS') {
            for (const name of old.getAttributeNames()) if (!next.hasAttribute(name)) old.removeAttribute(name);
            for (const name of next.getAttributeNames()) old.setAttribute(name, next.getAttribute(name));
          } else {
            old.replaceWith(document.importNode(next, true));
          }
        }
        // Parents of live regions (e.g. the chart panel's hidden attribute) follow too.
        for (const old of document.querySelectorAll('[data-live-parent][id]')) {
          const next = fresh.getElementById(old.id);
          if (next) old.hidden = next.hidden;
        }
      }
    } catch {
      // Network hiccup: try again at the next tick.
    }
    scheduleLive();
  }

  function wireConfirm(root) {
    if (!(root instanceof Element)) return;
    root.querySelectorAll('form[data-confirm]').forEach((form) => {
      if (form.dataset.wired) return;
      form.dataset.wired = '1';
      form.addEventListener('submit', (e) => { if (!confirm(form.dataset.confirm)) e.preventDefault(); });
    });
  }

  function start() {
    scan(document.body);
    wireAutosubmit(document.body);
    wireConfirm(document.body);
    scheduleLive();
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === 'attributes') draw(m.target);
        else m.addedNodes.forEach((n) => { scan(n); wireAutosubmit(n); wireConfirm(n); });
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-chart'] });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
