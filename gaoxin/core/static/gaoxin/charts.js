/* Draws every Plotly chart of a page: an element with data-figure="<id>" is drawn from the
   json_script data block of that id (a data block the browser never runs, so the
   Content-Security-Policy needs no inline script for it), and again after htmx swaps in
   another day's figures. Clicking a bar opens the records behind it (customdata). */
(function () {
  "use strict";

  function open(event) {
    var point = event && event.points && event.points[0];
    var url = point && point.customdata;
    if (url) {
      window.location.assign(url);
    }
  }

  // On a phone the bars' names take much of the width, and the values written at the bar
  // ends need room beyond the longest bar: the value axis is lengthened, by whole ticks (still
  // round, fewer of them), until the longest value fits in the estimated plot width.
  var NARROW = 560;

  function textWidth(text, size) {
    var width = 0;
    String(text || "").split("").forEach(function (ch) {
      width += ch.charCodeAt(0) > 0x2e80 ? size : size * 0.56;
    });
    return width;
  }

  // A bar's name wider than `room` with its Chinese term in brackets ("Provincial specialised
  // SME (省级专精特新中小企业)", the English names) is shown on two lines, the term under the
  // name, so the plot keeps its width and no name is cut at the chart's edge. Two lines fit a
  // bar's row (core/charts.py bar_height); a third would run into the next name.
  function wrapName(name, room) {
    var text = String(name == null ? "" : name);
    if (textWidth(text, 12) <= room) {
      return text;
    }
    return text.replace(/\s+(?=[(（][^(（]*$)/, "<br>");
  }

  function fitNarrow(element, figure) {
    var layout = figure.layout || {};
    var axis = layout.xaxis;
    var traces = (figure.data || []).filter(function (trace) {
      return trace.orientation === "h" && trace.textposition === "outside";
    });
    if (!traces.length || !axis || !axis.range || !axis.dtick || element.clientWidth >= NARROW) {
      return;
    }
    var names = 0;
    var top = 0;
    var label = 0;
    var room = element.clientWidth * 0.42;
    traces.forEach(function (trace) {
      trace.y = trace.y.map(function (name) { return wrapName(name, room); });
      trace.y.forEach(function (name) {
        String(name).split("<br>").forEach(function (line) {
          names = Math.max(names, textWidth(line, 12));
        });
      });
      trace.x.forEach(function (value, i) {
        top = Math.max(top, value || 0);
        label = Math.max(label, textWidth(trace.text[i], 13));
      });
    });
    var plot = Math.max(60, element.clientWidth - names - 36);
    var free = Math.max(plot * 0.25, plot - label - 10);
    var step = axis.dtick;
    var end = Math.max(axis.range[1], Math.ceil((top * plot) / free / step) * step);
    while (end / step > 4) {
      step *= 2;
    }
    axis.range = [axis.range[0], Math.ceil(end / step) * step];
    axis.dtick = step;
    layout.yaxis = layout.yaxis || {};
    layout.yaxis.tickfont = { size: 12 };
  }

  function draw(root) {
    if (typeof window.Plotly === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      fitNarrow(element, figure);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displayModeBar: false,
        responsive: true,
      }).then(function (plot) {
        plot.on("plotly_click", open);
        element.classList.add("chart-drawn");
      });
    });
  }

  draw(document);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    draw(event.detail && event.detail.elt ? event.detail.elt : document);
  });
}());
