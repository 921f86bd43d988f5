// The page's own scripts, fixed text with no data in them (the chart configs
// travel as JSON in a separate element). The first runs before anything else
// and records script errors; the second draws the charts and then checks
// that each canvas holds drawn pixels, writing the outcome into the page,
// where a reader sees it and a headless browser test reads it.

/** Installed first, in <head>: keeps every error and console.error the page produces. */
export const ERROR_TRAP_SCRIPT = `
window.__reportErrors = [];
window.addEventListener('error', function (e) {
  window.__reportErrors.push('error: ' + (e.message || String(e.error)));
});
window.addEventListener('unhandledrejection', function (e) {
  window.__reportErrors.push('unhandled rejection: ' + String(e.reason));
});
(function () {
  var original = console.error;
  console.error = function () {
    window.__reportErrors.push('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
})();
`;

/** Run at the end of <body>: draws every chart, then writes the self-check into #render-check. */
export const DRAW_AND_CHECK_SCRIPT = `
(function () {
  var out = document.getElementById('render-check');
  var specs = [];
  var drawn = [];
  var empty = [];
  try {
    specs = JSON.parse(document.getElementById('chart-data').textContent || '[]');
    var background = {
      id: 'reportBackground',
      beforeDraw: function (chart) {
        var c = chart.ctx;
        c.save();
        c.globalCompositeOperation = 'destination-over';
        c.fillStyle = '#ffffff';
        c.fillRect(0, 0, chart.width, chart.height);
        c.restore();
      }
    };
    // one chart failing must not stop the others from drawing or being checked
    specs.forEach(function (s) {
      var canvas = document.getElementById('chart-' + s.id);
      if (!canvas) { empty.push(s.id + ' (no canvas)'); return; }
      try {
        new Chart(canvas, Object.assign({}, s.config, { plugins: [background] }));
      } catch (e) {
        console.error('chart ' + s.id + ': ' + (e && e.message ? e.message : String(e)));
      }
    });
    specs.forEach(function (s) {
      var canvas = document.getElementById('chart-' + s.id);
      if (!canvas) return;
      var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      var ink = 0;
      for (var i = 0; i < px.length; i += 4) {
        if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) ink++;
      }
      (ink >= 200 ? drawn : empty).push(s.id + ' (' + ink + ' drawn pixels)');
    });
  } catch (e) {
    console.error('drawing charts: ' + (e && e.message ? e.message : String(e)));
  }
  var errors = window.__reportErrors;
  var ok = errors.length === 0 && empty.length === 0 && drawn.length === specs.length;
  out.setAttribute('data-status', ok ? 'ok' : 'failed');
  out.setAttribute('data-charts', String(specs.length));
  out.setAttribute('data-drawn', String(drawn.length));
  out.textContent = 'Chart self-check: ' + drawn.length + ' of ' + specs.length + ' charts drawn'
    + (empty.length ? '; empty: ' + empty.join(', ') : '')
    + (errors.length ? '; script errors: ' + errors.join(' | ') : '; no script errors') + '.';
  var detail = document.getElementById('render-check-json');
  detail.textContent = JSON.stringify({ status: ok ? 'ok' : 'failed', charts: specs.length, drawn: drawn, empty: empty, errors: errors });
})();
`;
