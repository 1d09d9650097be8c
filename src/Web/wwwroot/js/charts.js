// Draws the site's charts with Chart.js (from npm, copied by Charts.targets); ChartView.razor calls it over the circuit
// with a spec built in C# (ChartSpec). Chart.js is loaded on the first chart.
let chartJs = null;

function loadChartJs(url) {
  if (window.Chart) return Promise.resolve(window.Chart);
  chartJs ??= new Promise((resolve, reject) => {
    const tag = document.createElement('script');
    tag.src = url;
    tag.onload = () => resolve(window.Chart);
    tag.onerror = () => reject(new Error('Chart.js did not load from ' + url));
    document.head.appendChild(tag);
  });
  return chartJs;
}

function config(spec) {
  return {
    type: 'scatter',
    data: {
      datasets: spec.series.map((s) => ({
        label: s.label, data: s.points.map(([x, y]) => ({ x, y })), showLine: s.line, borderColor: s.color,
        backgroundColor: s.color, borderWidth: s.line ? 1.5 : 1, pointRadius: s.line && s.points.length > 40 ? 0 : 3,
        stepped: s.stepped ? 'before' : false,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: spec.xLog ? 'logarithmic' : 'linear', title: { display: true, text: spec.xTitle } },
        y: { title: { display: true, text: spec.yTitle } },
      },
      plugins: { legend: { display: spec.series.length > 1, position: 'bottom' } },
    },
  };
}

/** Draws the chart into the canvas, or updates its data in place when it is already drawn. */
export async function render(canvas, spec, chartJsUrl) {
  const Chart = await loadChartJs(chartJsUrl);
  const existing = Chart.getChart(canvas);
  if (existing) {
    existing.data.datasets = config(spec).data.datasets;
    existing.update('none');
    return;
  }
  new Chart(canvas, config(spec));
}

export function destroy(canvas) {
  window.Chart?.getChart(canvas)?.destroy();
}

/** Keeps the page's query in the address bar (a permalink) without a navigation. */
export function replaceUrl(url) {
  history.replaceState(history.state, '', url);
}
