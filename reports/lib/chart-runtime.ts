// What the report's charts need beyond Chart.js's JSON configuration,
// installed into Chart.js by both renderers: png-render.ts calls
// installChartRuntime(Chart) in Node, and the HTML page carries this
// function's own source text (Function.prototype.toString) and calls it in
// the browser, so the two draw the same thing from one implementation. It
// must therefore stay self-contained: no imports, no outside names.
//
//   - error bars: a dataset may carry `errorBars`, one [lo, hi] or null per
//     point (the bootstrap 95% interval), drawn as a whisker in the
//     dataset's colour at every point and bar;
//   - logarithmic axes label only the powers of ten, in SI (1 k, 10 k,
//     100 k, 1 M): Chart.js's default labels every 1-2-5 step, and on a
//     chart spanning six decades they run into each other;
//   - a dataset's `legendColor` colours its legend entry (a bar dataset
//     whose bars are coloured one by one, some grey, would otherwise take
//     the first bar's colour).

/* eslint-disable @typescript-eslint/no-explicit-any */
export function installChartRuntime(ChartJs: any): void {
  if (ChartJs.__reportRuntime) return;
  ChartJs.__reportRuntime = true;
  ChartJs.register({
    id: 'reportErrorBars',
    afterDatasetsDraw(chart: any) {
      const ctx = chart.ctx;
      chart.data.datasets.forEach((ds: any, i: number) => {
        const bars = ds.errorBars;
        const meta = chart.getDatasetMeta(i);
        if (!bars || meta.hidden) return;
        const scale = chart.scales[meta.yAxisID];
        ctx.save();
        ctx.strokeStyle = typeof ds.borderColor === 'string' ? ds.borderColor : '#444';
        ctx.lineWidth = 1.5;
        meta.data.forEach((el: any, j: number) => {
          const b = bars[j];
          if (!b || el.skip) return;
          const x = el.x;
          const y1 = scale.getPixelForValue(b[0]);
          const y2 = scale.getPixelForValue(b[1]);
          if (!Number.isFinite(x) || !Number.isFinite(y1) || !Number.isFinite(y2)) return;
          ctx.beginPath();
          ctx.moveTo(x, y1);
          ctx.lineTo(x, y2);
          ctx.moveTo(x - 4, y1);
          ctx.lineTo(x + 4, y1);
          ctx.moveTo(x - 4, y2);
          ctx.lineTo(x + 4, y2);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  });
  const labels = ChartJs.defaults.plugins.legend.labels;
  const generate = labels.generateLabels;
  labels.generateLabels = function (chart: any): any[] {
    const out = generate.call(this, chart);
    for (const item of out) {
      const colour = chart.data.datasets[item.datasetIndex]?.legendColor;
      if (colour) {
        item.fillStyle = colour;
        item.strokeStyle = colour;
      }
    }
    return out;
  };
  ChartJs.defaults.scales.logarithmic.ticks.callback = function (value: number): string {
    const exp = Math.round(Math.log10(value));
    if (!(value > 0) || Math.abs(value - Math.pow(10, exp)) > 1e-9 * value) return '';
    const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (const [scale, name] of units) if (value >= scale) return `${value / scale} ${name}`;
    return String(value);
  };
}
