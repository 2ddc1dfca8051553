/*
 * Printing any page (Ctrl+P, or "Udskriv / gem som PDF" on Status-rapport).
 *
 * - Charts are scaled to the paper's width: Plotly draws at a fixed pixel width, and a
 *   chart drawn for a wide screen would be cut at the page's edge. Each chart's layers
 *   get a viewBox and scale as a picture (CSS ".print-scaled": never larger than drawn),
 *   which happens at once;
 *   a redraw by Plotly finishes too late for the printer. Afterwards they are undone.
 * - Every AG Grid prints in full: all its rows are drawn (suppressRowVirtualisation),
 *   the print style sheet lets its scroll box grow to hold them, and its columns are
 *   fitted to the paper's width. (AG Grid's own print layout is applied in a later
 *   frame, too late for the printer.)
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

  function charts(toPaper) {
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      var layout = plot._fullLayout;
      var box = plot.querySelector(".svg-container");
      if (!layout || !box) {
        return;
      }
      var layers = box.querySelectorAll(":scope > svg.main-svg");
      if (toPaper) {
        // Scaled as a picture, at once: a redraw by Plotly would not be done in time, and
        // a fixed size keeps the graph's own resize from redrawing it while printing.
        plot.dataset.printFixed = (plot.layout.width ? "" : "w") + (plot.layout.height ? "" : "h");
        plot.layout.width = layout.width;
        plot.layout.height = layout.height;
        layers.forEach(function (svg) {
          svg.setAttribute("viewBox", "0 0 " + layout.width + " " + layout.height);
          svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
        });
        box.style.setProperty("--print-width", layout.width + "px");
        box.style.setProperty("aspect-ratio", layout.width + " / " + layout.height);
        box.classList.add("print-scaled");
      } else if (box.classList.contains("print-scaled")) {
        layers.forEach(function (svg) {
          svg.removeAttribute("viewBox");
          svg.removeAttribute("preserveAspectRatio");
        });
        box.style.removeProperty("--print-width");
        box.style.removeProperty("aspect-ratio");
        box.classList.remove("print-scaled");
        var fixed = plot.dataset.printFixed || "";
        if (fixed.indexOf("w") >= 0) {
          delete plot.layout.width;
        }
        if (fixed.indexOf("h") >= 0) {
          delete plot.layout.height;
        }
        delete plot.dataset.printFixed;
        if (window.Plotly) {
          window.Plotly.Plots.resize(plot).catch(function () {});
        }
      }
    });
  }

  function fitGrids() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) {
      return;
    }
    document.querySelectorAll(".ag-root-wrapper").forEach(function (wrapper) {
      var owner = wrapper.parentElement && wrapper.parentElement.closest("[id]");
      try {
        var api = owner && window.dash_ag_grid.getApi(owner.id);
        if (api && !api.isDestroyed()) {
          api.sizeColumnsToFit();
        }
      } catch (error) {
        /* a grid that is not ready prints as it stands */
      }
    });
  }

  window.addEventListener("beforeprint", function () {
    pageLines();
    charts(true);
  });
  window.addEventListener("afterprint", function () {
    charts(false);
  });
  // Runs with the paper's layout in place, and again with the screen's: the grids'
  // columns are fitted to the width at hand.
  window.matchMedia("print").addEventListener("change", fitGrids);
})();
