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
