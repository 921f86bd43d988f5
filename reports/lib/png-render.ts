// The charts as PNG files: Chart.js drawing in Node on @napi-rs/canvas, at
// a fixed size with animation and responsiveness off, on a white background
// (a PNG with a transparent background is unreadable in dark viewers).

import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartItem, type Plugin } from 'chart.js/auto';
import { installChartRuntime } from './chart-runtime.js';
import type { ChartSpec } from './chart-specs.js';

const WHITE_BACKGROUND: Plugin = {
  id: 'reportBackground',
  beforeDraw(chart) {
    const c = chart.ctx;
    c.save();
    c.globalCompositeOperation = 'destination-over';
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, chart.width, chart.height);
    c.restore();
  },
};

/** Chart.js's default font stack names fonts a Linux host seldom has; DejaVu Sans is what Debian ships. */
Chart.defaults.font.family = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
installChartRuntime(Chart);

export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const canvas = createCanvas(spec.width, spec.height);
  // Chart.js takes any object with getContext('2d'); in Node it uses its basic (non-DOM) platform.
  const chart = new Chart(canvas as unknown as ChartItem, {
    ...spec.config,
    options: { ...spec.config.options, devicePixelRatio: 1, animation: false, responsive: false },
    plugins: [WHITE_BACKGROUND],
  });
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
