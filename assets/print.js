/*
 * Printing any page (Ctrl+P, or "Udskriv / gem som PDF" on Status-rapport).
 *
 * - Charts are redrawn at the paper's width: Plotly draws at a fixed pixel width, and a
 *   chart drawn for a wide screen would be cut at the page's edge. The print media
 *   query's listener runs with the paper's layout in place, so widths measured there
 *   are the printed ones; afterwards the charts fit the screen again.
 * - Every AG Grid prints in full (its print layout: all rows, no scroll box).
 * - A page with an element #print-header (Status-rapport) gets that line at the top of
 *   every printed page, and every printed page its number ("Side 2 af 5").
 * The rest is CSS: assets/app.css, "@media print".
 */
(function () {
  "use strict";
  var STYLE_ID = "msb-print-page";

  function cssString(text) {
    return '"' + String(text).replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]+/g, " ") + '"';
  }

  function pageLines() {
    var style = document.getElementById(STYLE_ID);
    if (!style) {
      style = document.createElement("style");
      style.id = STYLE_ID;
      document.head.appendChild(style);
    }
    var header = document.getElementById("print-header");
    var top = header ? "@top-left { content: " + cssString(header.textContent.trim()) + "; } " : "";
    style.textContent =
      "@page { " + top + '@bottom-right { content: "Side " counter(page) " af " counter(pages); } }';
  }

  function grids(layout) {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) {
      return;
    }
    document.querySelectorAll(".ag-root-wrapper").forEach(function (wrapper) {
      var owner = wrapper.parentElement && wrapper.parentElement.closest("[id]");
      try {
        var api = owner && window.dash_ag_grid.getApi(owner.id);
        if (api && !api.isDestroyed()) {
          api.setGridOption("domLayout", layout);
        }
      } catch (error) {
        /* a grid that is not ready prints as it stands */
      }
    });
  }

  function charts(toPaper) {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      if (!plot._fullLayout || plot.closest(".kpi-spark")) {
        return;
      }
      var width = plot.parentElement ? plot.parentElement.clientWidth : 0;
      if (toPaper && width > 0 && Math.abs(width - plot._fullLayout.width) > 1) {
        plot.dataset.printResized = "1";
        window.Plotly.relayout(plot, { width: width });
      } else if (!toPaper && plot.dataset.printResized) {
        delete plot.dataset.printResized;
        window.Plotly.relayout(plot, { width: null, autosize: true });
      }
    });
  }

  window.addEventListener("beforeprint", function () {
    pageLines();
    grids("print");
  });
  window.addEventListener("afterprint", function () {
    grids("normal");
  });
  window.matchMedia("print").addEventListener("change", function (query) {
    charts(query.matches);
  });
})();
